"""The input types every resource shares, each strict where JSON would otherwise be
guessed at: a time must carry its UTC offset, a day is YYYY-MM-DD, text has limits, and a
case reference is normalised as the command line does (trimmed, upper case)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Path
from pydantic import (
    AfterValidator,
    ConfigDict,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)
from pydantic import BaseModel as PydanticModel

from bot.domain.leads import format_leads, parse_leads

EXAMPLE_TIME = "2026-11-25T10:00:00+00:00"
REF_PATTERN = r"^[A-Za-z0-9_/-]{1,40}$"


class Input(PydanticModel):
    """A request body: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


def _instant(value: object) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and len(value) <= 40:
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"{value!r} is not a time in ISO 8601; send one like {EXAMPLE_TIME}"
            ) from None
    else:
        raise ValueError(f"a time is text in ISO 8601, like {EXAMPLE_TIME}")
    if parsed.utcoffset() is None:
        raise ValueError(
            f"{value!s} has no UTC offset, so it could be any of several moments; "
            f"add one, like {EXAMPLE_TIME} or 2026-11-25T10:00:00Z"
        )
    return parsed.astimezone(UTC)


def _day(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a day; send one like 2026-11-25")


def _leads(value: str) -> str:
    """'1d,2h,60m' (or 'default'), checked and written the one way."""
    return format_leads(parse_leads(value))


def _ref(value: str) -> str:
    return value.strip().upper()


# An aware instant, stored as UTC. A time without an offset is refused: "10:00" alone
# means a different moment in summer and in winter, and the API will not guess.
Instant = Annotated[
    datetime,
    PlainValidator(_instant, json_schema_input_type=str),
    WithJsonSchema(
        {"type": "string", "format": "date-time", "examples": [EXAMPLE_TIME]}, mode="validation"
    ),
]
Day = Annotated[
    date,
    PlainValidator(_day, json_schema_input_type=str),
    WithJsonSchema(
        {"type": "string", "format": "date", "examples": ["2026-11-25"]}, mode="validation"
    ),
]
Leads = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=120),
    AfterValidator(_leads),
]
CaseRef = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=REF_PATTERN),
    AfterValidator(_ref),
]


def text_of(limit: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=limit)


# Words of 1 to N characters, trimmed.
Text60 = Annotated[str, text_of(60)]
Text120 = Annotated[str, text_of(120)]
Text160 = Annotated[str, text_of(160)]
Text200 = Annotated[str, text_of(200)]
Text400 = Annotated[str, text_of(400)]


RefPath = Annotated[
    str,
    Path(
        pattern=REF_PATTERN,
        description=(
            "The person's case reference, in any case. A reference with '/' in it is sent "
            "as it is or as %2F."
        ),
        examples=["IOM-0042"],
    ),
    AfterValidator(_ref),
]


def _id(thing: str) -> object:
    return Path(ge=1, le=2**31 - 1, description=f"The {thing}'s id, as Waymark gave it.")


AppointmentId = Annotated[int, _id("appointment")]
GoalId = Annotated[int, _id("goal")]
NudgeId = Annotated[int, _id("nudge")]
AlertId = Annotated[int, _id("alert")]
