"""The API's OpenAPI document: every path, the bearer scheme, a summary and documented
answers for every route, and refusals that really have the shape it declares."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.support.api import SAM, ApiWorld

PATHS = {
    "/me": {"get"},
    "/people": {"get", "post"},
    "/people/{ref}": {"get", "patch"},
    "/people/{ref}/invites": {"post"},
    "/people/{ref}/pairing-codes": {"post"},
    "/people/{ref}/appointments": {"get", "post"},
    "/appointments/{appointment_id}": {"patch"},
    "/appointments/{appointment_id}/cancel": {"post"},
    "/appointments/{appointment_id}/outcome": {"post"},
    "/people/{ref}/goals": {"get", "post"},
    "/goals/{goal_id}/steps": {"post"},
    "/people/{ref}/nudges": {"get", "post"},
    "/nudges/{nudge_id}/stop": {"post"},
    "/content": {"get"},
    "/content/{key}": {"get", "patch"},
    "/alerts": {"get"},
    "/alerts/{alert_id}/acknowledge": {"post"},
    "/reports": {"get"},
    "/reports/{name}": {"get"},
}
Operation = tuple[str, str, dict[str, Any]]


@pytest.fixture
async def document(api: ApiWorld) -> dict[str, Any]:
    response = await api.nobody.get("/openapi.json")  # the document needs no token
    assert response.status_code == 200
    loaded: dict[str, Any] = json.loads(response.text)
    return loaded


def operations(document: dict[str, Any]) -> list[Operation]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def conforms(document: dict[str, Any], schema: dict[str, Any], value: Any, where: str) -> None:
    """The part of JSON Schema the API's documents use: objects, arrays, strings."""
    schema = resolve(document, schema)
    if "anyOf" in schema:
        failures = []
        for option in schema["anyOf"]:
            try:
                conforms(document, option, value, where)
                return
            except AssertionError as failure:
                failures.append(str(failure))
        raise AssertionError(f"{where}: {value!r} matches no option: {failures}")
    kind = schema.get("type")
    if kind == "object":
        assert isinstance(value, dict), f"{where}: {value!r} is not an object"
        assert set(schema.get("required", [])) <= set(value), f"{where}: misses a field"
        assert set(value) <= set(schema["properties"]), f"{where}: has undeclared fields"
        for name, item in value.items():
            conforms(document, schema["properties"][name], item, f"{where}.{name}")
    elif kind == "array":
        assert isinstance(value, list), f"{where}: {value!r} is not an array"
        for index, item in enumerate(value):
            conforms(document, schema["items"], item, f"{where}[{index}]")
    elif kind == "string":
        assert isinstance(value, str), f"{where}: {value!r} is not a string"
    else:
        raise AssertionError(f"{where}: the test does not know the schema {schema}")


def declared_422(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = operation["responses"]["422"]["content"]["application/json"]["schema"]
    return schema


def wrong_value(schema: dict[str, Any]) -> str:
    """A value the parameter's schema refuses."""
    if schema.get("type") == "integer":
        return str(schema.get("minimum", 1) - 1)
    if schema.get("type") == "boolean":
        return "maybe"
    if "pattern" in schema:
        return "not valid!"
    if "maxLength" in schema:
        return "x" * (int(schema["maxLength"]) + 1)
    options = schema.get("anyOf", [])
    return wrong_value(next(o for o in options if o.get("type") != "null"))


async def send_wrong(api: ApiWorld, path: str, method: str, operation: dict[str, Any]) -> Any:
    """A request this operation must refuse with 422."""
    parameters = operation.get("parameters", [])
    in_path = [p for p in parameters if p["in"] == "path"]
    query: dict[str, str] = {}
    body: Any = None
    for parameter in in_path:
        path = path.replace(f"{{{parameter['name']}}}", wrong_value(parameter["schema"]))
    if not in_path and "requestBody" in operation:
        body = {"unexpected": 1}
    elif not in_path:
        first = next(p for p in parameters if p["in"] == "query")
        query[first["name"]] = wrong_value(first["schema"])
    response = await api.coach.client.request(
        method.upper(), path.lstrip("/"), params=query, json=body
    )
    assert response.status_code == 422, (method, path, response.text)
    return response.json()


def test_the_paths_are_the_api_s(document: dict[str, Any]) -> None:
    assert {path: set(item) for path, item in document["paths"].items()} == PATHS


def test_the_document_names_the_api_its_version_and_server(document: dict[str, Any]) -> None:
    assert document["info"]["title"] == "Waymark API"
    assert document["info"]["version"] == "0.1.0"
    assert document["servers"] == [{"url": "/api/v1"}]
    assert document["openapi"].startswith("3.")


def test_every_route_uses_the_bearer_scheme(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, method, operation in operations(document):
        assert operation["security"] == [{"bearer": []}], (method, path)


def test_every_route_has_a_summary_an_answer_and_its_refusals(document: dict[str, Any]) -> None:
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, method, operation in operations(document):
        responses = operation["responses"]
        assert operation.get("summary"), (method, path)
        assert operation["operationId"].isidentifier()
        success = responses.get("200") or responses["201"]
        assert success["content"]["application/json"]["schema"], (method, path)
        assert responses["401"]["content"]["application/json"]["schema"] == problem
        takes_input = bool(operation.get("parameters")) or "requestBody" in operation
        assert ("422" in responses) == takes_input, (method, path)
        for status in set(responses) - {"200", "201", "422"}:
            assert responses[status]["content"]["application/json"]["schema"] == problem
    assert "HTTPValidationError" not in document["components"]["schemas"]


async def test_every_declared_422_has_the_shape_that_comes_back(
    api: ApiWorld, document: dict[str, Any]
) -> None:
    checked = 0
    for path, method, operation in operations(document):
        if "422" not in operation["responses"]:
            continue
        body = await send_wrong(api, path, method, operation)
        conforms(document, declared_422(document, operation), body, f"{method} {path}")
        assert all(problem["field"] and problem["message"] for problem in body["detail"])
        checked += 1
    assert checked == sum(1 for *_, o in operations(document) if "422" in o["responses"])


@pytest.mark.parametrize(
    ("method", "path", "body", "query"),
    [
        ("post", "/people/{ref}/appointments", "past", None),
        ("patch", "/content/{key}", {"text": "Thank you, {name}."}, None),
        ("patch", "/people/{ref}", {"language": "cy"}, None),
        ("post", "/people/{ref}/nudges", {"text": "Hi", "every": "0 9 30 2 *"}, None),
        ("get", "/reports/{name}", None, {"first": "2026-02-01", "last": "2026-01-01"}),
    ],
)
async def test_refusals_after_the_shape_is_checked_have_the_declared_shape_too(
    api: ApiWorld,
    document: dict[str, Any],
    method: str,
    path: str,
    body: Any,
    query: dict[str, str] | None,
) -> None:
    if body == "past":
        body = {"starts_at": "2026-01-01T09:00Z", "place": "Office", "with_whom": "Jo"}
    real = path.format(ref=SAM, key="reply_coming", name="attendance-by-month")
    response: httpx.Response = await api.coach.client.request(
        method.upper(), real.lstrip("/"), json=body, params=query
    )
    assert response.status_code == 422, response.text
    operation = document["paths"][path][method]
    conforms(document, declared_422(document, operation), response.json(), f"{method} {path}")
