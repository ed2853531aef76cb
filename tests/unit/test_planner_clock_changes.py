"""The reminder plan across both 2026 clock changes: 29 March (01:00 GMT -> 02:00 BST)
and 25 October (02:00 BST -> 01:00 GMT). Every expectation is an exact UTC instant."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.domain.leads import parse_leads
from bot.domain.planner import plan
from tests.support.wall_clock import DEFAULT_22, LONG_AGO, instants, utc

# The clock changes: 29 March 2026 (01:00 GMT -> 02:00 BST), 25 October 2026 (02:00 BST ->
# 01:00 GMT). Every expectation below is an exact UTC instant. ------------------------------

CLOCK_CHANGES = [
    pytest.param(
        utc(2026, 3, 29, 9, 0),  # Sunday 29 March 10:00 BST
        [
            ("evening-before", utc(2026, 3, 28, 18, 0), False),  # Sat 18:00 GMT
            ("morning-of", utc(2026, 3, 29, 7, 0), False),  # Sun 08:00 BST
            ("before-60m", utc(2026, 3, 29, 8, 0), False),  # Sun 09:00 BST
        ],
        id="march-sunday-10:00",
    ),
    pytest.param(
        utc(2026, 3, 30, 9, 0),  # Monday 30 March 10:00 BST
        [
            ("evening-before", utc(2026, 3, 29, 17, 0), False),  # Sun 18:00 BST
            ("morning-of", utc(2026, 3, 30, 7, 0), False),
            ("before-60m", utc(2026, 3, 30, 8, 0), False),
        ],
        id="march-monday-10:00",
    ),
    pytest.param(
        utc(2026, 3, 29, 2, 0),  # Sunday 29 March 03:00 BST, an hour after the change
        [
            ("evening-before", utc(2026, 3, 28, 18, 0), False),
            ("before-60m", utc(2026, 3, 29, 1, 0), False),  # 02:00 BST: 60 minutes elapsed
        ],
        id="march-sunday-03:00",
    ),
    pytest.param(
        utc(2026, 10, 25, 10, 0),  # Sunday 25 October 10:00 GMT
        [
            ("evening-before", utc(2026, 10, 24, 17, 0), False),  # Sat 18:00 BST
            ("morning-of", utc(2026, 10, 25, 8, 0), False),  # Sun 08:00 GMT
            ("before-60m", utc(2026, 10, 25, 9, 0), False),
        ],
        id="october-sunday-10:00",
    ),
    pytest.param(
        utc(2026, 10, 26, 10, 0),  # Monday 26 October 10:00 GMT
        [
            ("evening-before", utc(2026, 10, 25, 18, 0), False),  # Sun 18:00 GMT
            ("morning-of", utc(2026, 10, 26, 8, 0), False),
            ("before-60m", utc(2026, 10, 26, 9, 0), False),
        ],
        id="october-monday-10:00",
    ),
    pytest.param(
        utc(2026, 10, 25, 0, 30),  # Sunday 25 October, the first 01:30 (BST)
        [
            ("evening-before", utc(2026, 10, 24, 17, 0), False),
            ("before-60m", utc(2026, 10, 24, 23, 30), False),  # 00:30 BST
        ],
        id="october-sunday-first-01:30",
    ),
    pytest.param(
        utc(2026, 10, 25, 1, 30),  # Sunday 25 October, the second 01:30 (GMT)
        [
            ("evening-before", utc(2026, 10, 24, 17, 0), False),
            ("before-60m", utc(2026, 10, 25, 0, 30), False),  # the first 01:30, BST
        ],
        id="october-sunday-second-01:30",
    ),
]


@pytest.mark.parametrize(("starts", "expected"), CLOCK_CHANGES)
def test_the_default_plan_across_the_clock_changes(
    starts: datetime, expected: list[tuple[str, datetime, bool]]
) -> None:
    assert instants(plan(starts, LONG_AGO, leads=None)) == expected


@pytest.mark.parametrize(
    ("starts", "expected"),
    [
        # Sun 29 Mar 07:30 BST: 06:30 BST is quiet; 07:00 BST is 06:00 UTC.
        (utc(2026, 3, 29, 6, 30), [("before-60m", utc(2026, 3, 29, 6, 0), False)]),
        # Sun 29 Mar 03:00 BST: the night ends after it, so 02:00 BST goes silently.
        (utc(2026, 3, 29, 2, 0), [("before-60m", utc(2026, 3, 29, 1, 0), True)]),
        # Sun 25 Oct 07:30 GMT: 06:30 GMT is quiet; 07:00 GMT is 07:00 UTC.
        (utc(2026, 10, 25, 7, 30), [("before-60m", utc(2026, 10, 25, 7, 0), False)]),
        # Mon 26 Oct 07:30 GMT.
        (utc(2026, 10, 26, 7, 30), [("before-60m", utc(2026, 10, 26, 7, 0), False)]),
        # Mon 30 Mar 07:30 BST.
        (utc(2026, 3, 30, 6, 30), [("before-60m", utc(2026, 3, 30, 6, 0), False)]),
    ],
)
def test_quiet_hours_across_the_clock_changes(
    starts: datetime, expected: list[tuple[str, datetime, bool]]
) -> None:
    slots = plan(starts, LONG_AGO, leads=None, quiet_from=DEFAULT_22)

    assert instants(slots)[1:] == expected
    assert slots[0].name == "evening-before"


@pytest.mark.parametrize(
    ("starts", "one_day", "twenty_four_hours"),
    [
        # Sunday 29 March 10:00 BST: the day before at 10:00 was GMT, 23 hours earlier.
        (utc(2026, 3, 29, 9, 0), utc(2026, 3, 28, 10, 0), utc(2026, 3, 28, 9, 0)),
        # Monday 30 March 10:00 BST: Sunday 10:00 was already BST.
        (utc(2026, 3, 30, 9, 0), utc(2026, 3, 29, 9, 0), utc(2026, 3, 29, 9, 0)),
        # Sunday 25 October 10:00 GMT: the day before at 10:00 was BST, 25 hours earlier.
        (utc(2026, 10, 25, 10, 0), utc(2026, 10, 24, 9, 0), utc(2026, 10, 24, 10, 0)),
        # Monday 26 October 10:00 GMT: Sunday 10:00 was already GMT.
        (utc(2026, 10, 26, 10, 0), utc(2026, 10, 25, 10, 0), utc(2026, 10, 25, 10, 0)),
    ],
)
def test_a_day_is_a_calendar_day_but_hours_are_elapsed_across_the_changes(
    starts: datetime, one_day: datetime, twenty_four_hours: datetime
) -> None:
    assert instants(plan(starts, LONG_AGO, leads=parse_leads("1d"))) == [
        ("lead-1d", one_day, False)
    ]
    assert instants(plan(starts, LONG_AGO, leads=parse_leads("24h"))) == [
        ("lead-24h", twenty_four_hours, False)
    ]


def test_a_day_lead_landing_in_the_skipped_hour_moves_forward_not_back() -> None:
    # Regression: Monday 30 March 01:30 BST, one day before is Sunday 01:30, which does
    # not exist; it must become 02:30 BST (01:30 UTC), not 00:30 GMT.
    starts = utc(2026, 3, 30, 0, 30)

    assert instants(plan(starts, LONG_AGO, leads=parse_leads("1d"))) == [
        ("lead-1d", utc(2026, 3, 29, 1, 30), False)
    ]


def test_a_day_lead_landing_in_the_repeated_hour_is_the_first_one() -> None:
    # Monday 26 October 01:30 GMT; one day before, 01:30 happened twice: the first is BST.
    starts = utc(2026, 10, 26, 1, 30)

    assert instants(plan(starts, LONG_AGO, leads=parse_leads("1d"))) == [
        ("lead-1d", utc(2026, 10, 25, 0, 30), False)
    ]


def test_every_plan_around_the_changes_is_ahead_sorted_and_before_the_start() -> None:
    plans = [None, parse_leads("1d,12h,2h,30m"), parse_leads("14d,3d,1s")]
    quiet_options = [None, time(21, 0), time(22, 0)]
    firsts = [utc(2026, 3, 28, 0, 0), utc(2026, 10, 24, 0, 0)]
    starts_list = [first + timedelta(minutes=15 * i) for first in firsts for i in range(4 * 72)]
    for starts in starts_list:
        now = starts - timedelta(hours=20)
        for leads in plans:
            for quiet_from in quiet_options:
                slots = plan(starts, now, leads=leads, quiet_from=quiet_from)
                due = [slot.due_at for slot in slots]
                assert due == sorted(set(due)), (starts, leads, quiet_from)
                assert all(now <= moment < starts for moment in due), (starts, leads)
                assert all(moment.tzinfo is UTC for moment in due)
