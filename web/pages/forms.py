"""What the people pages' forms share: a notice carried across Post/Redirect/Get, London
dates and times read from two inputs, and addresses for case references (which may hold
a "/", so it travels as "~" in an address)."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote

from fastapi import Request
from starlette.responses import RedirectResponse

from bot.domain.clock import Clock
from bot.domain.localtime import at_local
from web.pages import notice as notice_

DATE_SHAPE = "%Y-%m-%d"
TIME_SHAPE = "%H:%M"


def done(request: Request, url: str, notice: str) -> RedirectResponse:
    """After a form: back to `url`, which shows `notice` once (web/pages/notice.py)."""
    notice_.tell(request, notice)
    return RedirectResponse(url, status_code=303)


def ref_in_url(ref: str) -> str:
    return quote(ref.replace("/", "~"), safe="~-_")


def ref_from_url(value: str) -> str:
    return value.replace("~", "/")


def person_url(ref: str, rest: str = "") -> str:
    return f"/people/{ref_in_url(ref)}{rest}"


def read_date(value: str, field: str, errors: dict[str, str], what: str = "date") -> date | None:
    value = value.strip()
    if not value:
        errors[field] = f"Enter the {what}"
        return None
    try:
        return datetime.strptime(value, DATE_SHAPE).date()  # noqa: DTZ007 - a day, no time
    except ValueError:
        errors[field] = f"Enter a real {what}, like 2026-11-25"
        return None


def read_time(value: str, field: str, errors: dict[str, str]) -> datetime | None:
    value = value.strip()
    if not value:
        errors[field] = "Enter the time"
        return None
    try:
        return datetime.strptime(value, TIME_SHAPE)  # noqa: DTZ007 - only the clock time is used
    except ValueError:
        errors[field] = "Enter a real time on the 24-hour clock, like 14:30"
        return None


def read_moment(
    clock: Clock, day: str, hour: str, fields: tuple[str, str], errors: dict[str, str]
) -> datetime | None:
    """A date and a time typed in London time, as aware UTC; it must be in the future."""
    date_field, time_field = fields
    chosen_day = read_date(day, date_field, errors)
    chosen_time = read_time(hour, time_field, errors)
    if chosen_day is None or chosen_time is None:
        return None
    moment = at_local(chosen_day, chosen_time.time())
    if moment <= clock.now():
        errors[date_field] = "The date and time must be in the future"
        return None
    return moment
