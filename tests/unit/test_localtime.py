"""London wall-clock times to aware UTC and back, including both clock changes of 2026:
29 March (01:00 GMT -> 02:00 BST) and 25 October (02:00 BST -> 01:00 GMT)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from bot.domain.localtime import (
    as_utc,
    at_local,
    clock_time,
    local,
    local_day_before,
    parse_local,
    spoken_date,
    start_of_local_day,
)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25 10:00", utc(2026, 11, 25, 10, 0)),  # GMT: the same as UTC
        ("2026-07-01 10:00", utc(2026, 7, 1, 9, 0)),  # BST: an hour ahead of UTC
        ("  2026-03-28 23:59 ", utc(2026, 3, 28, 23, 59)),  # the last minute on GMT
        ("2026-03-29 00:59", utc(2026, 3, 29, 0, 59)),
        ("2026-03-29 02:00", utc(2026, 3, 29, 1, 0)),  # the first minute on BST
        ("2026-10-25 02:00", utc(2026, 10, 25, 2, 0)),  # back on GMT
    ],
)
def test_parse_local_reads_the_london_wall_clock(text: str, expected: datetime) -> None:
    parsed = parse_local(text)

    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    ["", "tomorrow", "2026-11-25", "25/11/2026 10:00", "2026-11-25 25:00", "2026-02-30 10:00"],
)
def test_parse_local_refuses_what_is_not_a_date_and_time(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a date and time like 2026-11-25 10:00$"):
        parse_local(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 01:00 to 01:59 do not happen on 29 March: the clock jumps to 02:00 BST.
        ("2026-03-29 01:00", utc(2026, 3, 29, 1, 0)),  # read as 02:00 BST
        ("2026-03-29 01:30", utc(2026, 3, 29, 1, 30)),  # read as 02:30 BST
    ],
)
def test_the_skipped_hour_in_march_moves_forward(text: str, expected: datetime) -> None:
    parsed = parse_local(text)

    assert parsed == expected
    assert local(parsed).hour == 2  # later on the wall clock, never earlier
    assert parsed > parse_local("2026-03-29 00:59")


def test_the_repeated_hour_in_october_is_the_first_one() -> None:
    # 01:30 happens twice on 25 October: first on BST (00:30 UTC), then on GMT (01:30 UTC).
    parsed = parse_local("2026-10-25 01:30")

    assert parsed == utc(2026, 10, 25, 0, 30)
    assert local(parsed).utcoffset() == timedelta(hours=1)


def test_at_local_ignores_a_fold_on_the_time_it_is_given() -> None:
    assert at_local(date(2026, 10, 25), time(1, 30, fold=1)) == utc(2026, 10, 25, 0, 30)


@pytest.mark.parametrize(
    ("moment", "spoken", "clock"),
    [
        (utc(2026, 11, 25, 10, 0), "Wednesday 25 November", "10:00"),
        (utc(2026, 7, 1, 9, 0), "Wednesday 1 July", "10:00"),
        # Saturday night before the March change, still GMT.
        (utc(2026, 3, 28, 23, 30), "Saturday 28 March", "23:30"),
        (utc(2026, 3, 29, 0, 59), "Sunday 29 March", "00:59"),
        (utc(2026, 3, 29, 1, 0), "Sunday 29 March", "02:00"),
        # BST late on the Saturday in October: 23:30 UTC is already Sunday in London.
        (utc(2026, 10, 24, 23, 30), "Sunday 25 October", "00:30"),
        (utc(2026, 10, 25, 0, 30), "Sunday 25 October", "01:30"),
        (utc(2026, 10, 25, 1, 30), "Sunday 25 October", "01:30"),
        (utc(2026, 10, 25, 2, 0), "Sunday 25 October", "02:00"),
        (utc(2026, 10, 26, 9, 0), "Monday 26 October", "09:00"),
        (utc(2026, 3, 30, 8, 0), "Monday 30 March", "09:00"),
    ],
)
def test_dates_and_times_are_spoken_on_the_london_clock(
    moment: datetime, spoken: str, clock: str
) -> None:
    assert spoken_date(moment) == spoken
    assert clock_time(moment) == clock


def test_other_offsets_are_converted_before_speaking() -> None:
    new_york = timezone(timedelta(hours=-5))
    moment = datetime(2026, 11, 24, 20, 0, tzinfo=new_york)  # 01:00 on the 25th in London

    assert spoken_date(moment) == "Wednesday 25 November"
    assert clock_time(moment) == "01:00"
    assert as_utc(moment) == utc(2026, 11, 25, 1, 0)
    assert as_utc(moment).tzinfo is UTC


def test_as_utc_refuses_a_naive_datetime() -> None:
    naive = datetime(2026, 11, 25, 10, 0)  # noqa: DTZ001 - the point of the test

    with pytest.raises(ValueError, match="naive datetime"):
        as_utc(naive)
    with pytest.raises(ValueError, match="naive datetime"):
        spoken_date(naive)
    with pytest.raises(ValueError, match="naive datetime"):
        clock_time(naive)


def test_a_local_day_starts_at_local_midnight_across_the_changes() -> None:
    assert start_of_local_day(utc(2026, 7, 1, 12, 0)) == utc(2026, 6, 30, 23, 0)
    assert start_of_local_day(utc(2026, 3, 29, 12, 0)) == utc(2026, 3, 29, 0, 0)  # still GMT
    assert start_of_local_day(utc(2026, 10, 25, 12, 0)) == utc(2026, 10, 24, 23, 0)  # BST


def test_the_day_before_is_the_london_calendar_day_before() -> None:
    # 23:30 UTC on 24 October is 00:30 on Sunday 25 October in London.
    assert local_day_before(utc(2026, 10, 24, 23, 30)) == date(2026, 10, 24)
    assert local_day_before(utc(2026, 11, 25, 23, 30)) == date(2026, 11, 24)
