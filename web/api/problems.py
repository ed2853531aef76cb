"""How the API says no, in one shape per status, as the OpenAPI document declares it.

Every refusal is `{"detail": "words"}`, except 422, which always names the fields:
`{"detail": [{"field": "starts_at", "message": "..."}]}`. That holds whether the request's
shape was wrong (FastAPI's validation), a check needed the clock or the database (a time
in the past, an unknown content key), or a service refused a value. A request that
contradicts the state of what it names (moving a cancelled appointment, the outcome of
one not yet started) is a 409. A person, appointment, goal, nudge or alert the account
may not see is a 404, worded exactly as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.responses import Response

from bot.domain.errors import Invalid, WaymarkError
from web import errors

SOURCES = ("body", "query", "path", "header", "cookie")


class Problem(BaseModel):
    detail: str


class FieldProblem(BaseModel):
    field: str  # "starts_at", "card.title", "ref"; "body" for the body as a whole
    message: str


class ValidationProblem(BaseModel):
    detail: list[FieldProblem]


class FieldInvalid(Invalid):
    """A value the API refuses, naming its field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, {field: message})
        self.field = field


class Conflict(WaymarkError):
    """The request is well formed but the thing it names is not in a state for it."""


def refuse(field: str, message: str) -> FieldInvalid:
    return FieldInvalid(field, message)


@contextmanager
def field_of(field: str) -> Iterator[None]:
    """A service's Invalid, said as a problem with this field."""
    try:
        yield
    except FieldInvalid:
        raise
    except Invalid as error:
        raise FieldInvalid(next(iter(error.problems), field), str(error)) from None


@contextmanager
def conflict_of() -> Iterator[None]:
    """A service's Invalid left once every field is checked: the state does not allow it."""
    try:
        yield
    except FieldInvalid:
        raise
    except Invalid as error:
        raise Conflict(str(error)) from None


def _field(location: Sequence[int | str]) -> str:
    parts = list(location[1:] if location and location[0] in SOURCES else location)
    return ".".join(str(part) for part in parts) or "body"


def _problems(error: RequestValidationError) -> list[dict[str, str]]:
    found = []
    for problem in error.errors():
        if problem["type"] == "json_invalid":
            found.append({"field": "body", "message": "The body is not valid JSON."})
            continue
        message = str(problem["msg"]).removeprefix("Value error, ")
        found.append({"field": _field(problem["loc"]), "message": message})
    return found


def install(api: FastAPI) -> None:
    """The site's JSON refusals (web/errors.py), with 422 always naming fields."""
    errors.install(api)

    @api.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        return JSONResponse({"detail": _problems(error)}, status_code=422)

    @api.exception_handler(Invalid)
    async def _invalid(request: Request, error: Exception) -> Response:
        problems = getattr(error, "problems", None) or {"body": str(error)}
        detail = [{"field": field, "message": said} for field, said in problems.items()]
        return JSONResponse({"detail": detail}, status_code=422)

    @api.exception_handler(Conflict)
    async def _conflict(request: Request, error: Exception) -> Response:
        return JSONResponse({"detail": str(error)}, status_code=409)


DESCRIPTIONS = {
    401: "No valid API token: send 'Authorization: Bearer <token>'.",
    403: "The account's role does not allow this.",
    404: "Not found, or not one of the account's own people (the two look the same).",
    409: "Not possible in the state the thing is in, or it exists already.",
    422: "A value is missing or wrong; each problem names its field.",
}


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route: 401 always, and the statuses it names."""
    return {
        status: {
            "model": ValidationProblem if status == 422 else Problem,
            "description": DESCRIPTIONS[status],
        }
        for status in sorted({401, *statuses})
    }
