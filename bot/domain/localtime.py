"""Turning aware UTC into the words and numbers people in London read, and back.

London is fixed, not a setting: the service is London's, and the planner's quiet hours,
spoken times, calendar files, reports and pages all read this one zone, pure code
included. (WAYMARK_TIMEZONE, which only the command line's --at read, was removed rather
than threaded through every one of them.)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every stored time must be aware")
    return moment.astimezone(UTC)


def local(moment: datetime, zone: ZoneInfo = LONDON) -> datetime:
    return as_utc(moment).astimezone(zone)


def at_local(day: date, clock_time: time, zone: ZoneInfo = LONDON) -> datetime:
    """The UTC instant of a wall-clock time on a local day.

    A time that does not exist (the hour skipped in March) moves forward by the gap;
    a time that happens twice (the hour repeated in October) is the first one.
    """
    # fold=0 is both rules at once (PEP 495): in a skipped hour it reads the time with
    # the offset from before the change, which lands the gap's length later on the wall
    # clock; in a repeated hour it is the first of the two. (fold=1 in a skipped hour
    # would land the gap's length earlier.)
    naive = datetime.combine(day, clock_time)
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def parse_local(text: str, zone: ZoneInfo = LONDON) -> datetime:
    """'YYYY-MM-DD HH:MM' on the London wall clock -> aware UTC."""
    try:
        naive = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")  # noqa: DTZ007 - made aware below
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time like 2026-11-25 10:00") from None
    return at_local(naive.date(), naive.time(), zone)


def spoken_date(moment: datetime, zone: ZoneInfo = LONDON) -> str:
    """'Tuesday 25 November'."""
    here = local(moment, zone)
    return f"{here:%A} {here.day} {here:%B}"


def clock_time(moment: datetime, zone: ZoneInfo = LONDON) -> str:
    """'10:00' (24-hour, as UK services and bus stops write it)."""
    return f"{local(moment, zone):%H:%M}"


def start_of_local_day(moment: datetime, zone: ZoneInfo = LONDON) -> datetime:
    return at_local(local(moment, zone).date(), time(0, 0), zone)


def local_day_before(moment: datetime, zone: ZoneInfo = LONDON) -> date:
    return local(moment, zone).date() - timedelta(days=1)
