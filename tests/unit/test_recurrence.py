"""Recurring schedules on the London clock, across both clock changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.localtime import local
from bot.domain.recurrence import ScheduleError, check_fires, next_times, parse_every


def _local(times: list[datetime]) -> list[str]:
    return [f"{local(t):%a %d %b %H:%M}" for t in times]


def test_every_weekday_0830_across_the_march_change() -> None:
    times = next_times(
        parse_every("every weekday 08:30"),
        datetime(2026, 3, 26, 12, 0, tzinfo=UTC),
        datetime(2026, 4, 1, 0, 0, tzinfo=UTC),
    )
    assert _local(times) == ["Fri 27 Mar 08:30", "Mon 30 Mar 08:30", "Tue 31 Mar 08:30"]
    assert times[0] == datetime(2026, 3, 27, 8, 30, tzinfo=UTC)  # GMT
    assert times[1] == datetime(2026, 3, 30, 7, 30, tzinfo=UTC)  # BST


def test_weekdays_0830_across_the_october_change() -> None:
    times = next_times(
        parse_every("weekdays 08:30"),
        datetime(2026, 10, 23, 9, 0, tzinfo=UTC),
        datetime(2026, 10, 27, 9, 0, tzinfo=UTC),
    )
    assert times == [
        datetime(2026, 10, 26, 8, 30, tzinfo=UTC),  # GMT again
        datetime(2026, 10, 27, 8, 30, tzinfo=UTC),
    ]


def test_a_time_inside_the_october_repeated_hour_fires_once() -> None:
    times = next_times(
        parse_every("sun 01:30"),
        datetime(2026, 10, 24, 0, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 0, 0, tzinfo=UTC),
    )
    assert len(times) == 1


def test_a_time_in_the_skipped_march_hour_still_fires() -> None:
    times = next_times(
        parse_every("sun 01:30"),
        datetime(2026, 3, 28, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 30, 0, 0, tzinfo=UTC),
    )
    assert len(times) == 1


@pytest.mark.parametrize(
    ("spec", "days"),
    [
        ("mon,thu 18:00", ["Mon", "Thu"]),
        ("Monday, Thursday 18:00", ["Mon", "Thu"]),
        ("daily 09:00", ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
        ("every day 09:00", ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
        ("weekends 10:00", ["Sat", "Sun"]),
        ("0 18 * * mon,thu", ["Mon", "Thu"]),
    ],
)
def test_friendly_and_cron_forms(spec: str, days: list[str]) -> None:
    times = next_times(
        parse_every(spec),
        datetime(2026, 11, 22, 23, 0, tzinfo=UTC),
        datetime(2026, 11, 29, 23, 0, tzinfo=UTC),
    )
    assert [f"{local(t):%a}" for t in times] == days


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("funday 10:00", "is not a day"),
        ("mon 25:00", "is not a time"),
        ("whenever", "is not a schedule"),
        ("61 * * * *", "is not a schedule"),
        ("", "is not a schedule"),
    ],
)
def test_bad_schedules_say_why(spec: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_every(spec)


def test_a_schedule_that_never_fires_is_refused() -> None:
    with pytest.raises(ScheduleError, match="never fire"):
        check_fires(parse_every("0 9 30 2 *"), datetime(2026, 1, 1, tzinfo=UTC))
    first = check_fires(parse_every("mon 09:00"), datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    assert first == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
