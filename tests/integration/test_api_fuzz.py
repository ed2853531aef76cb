"""Schemathesis against the API's own OpenAPI document: whatever a client sends that the
document allows (and much that it does not), no answer is a 500.

Every operation is driven as the coach (the widest role over people) with examples drawn
from its schema, valid and invalid. A failure prints the request that caused it.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from bot.composition import Waymark
from tests.support.api import SAM, build_world

OPENAPI = "/api/v1/openapi.json"
EXAMPLES = 25  # per operation and mode; enough to find a crash, short enough for CI


def server_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code >= 500:
        raise AssertionError(f"{case.method} {case.formatted_path}: {response.status_code}")
    return None


def _operations(app: Any) -> list[Any]:
    schema = schemathesis.openapi.from_asgi(OPENAPI, app)
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):  # the document itself is wrong: that is a failure too
            raise result.err()
        operations.append(result.ok())
    return operations


@pytest.fixture
def world(site_waymark: Waymark) -> Any:
    return build_world(site_waymark)


def test_no_operation_answers_500(world: Any) -> None:
    app = world.transport.app
    headers = {"Authorization": f"Bearer {world.tokens['coach']}"}
    operations = _operations(app)
    assert len(operations) >= 20, "the document lost its operations"
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
        def no_500(case: Any) -> None:
            if "ref" in case.path_parameters and case.path_parameters["ref"] == "":
                case.path_parameters["ref"] = SAM
            case.call_and_validate(
                headers=headers,
                checks=[server_errors],
                excluded_checks=[
                    negative_data_rejection,
                    response_schema_conformance,
                    status_code_conformance,
                ],
            )

        no_500()
