"""The reminder plan of one appointment: which slots, on the London wall clock, and how
quiet hours and both 2026 clock changes (29 March, 25 October) move them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.leads import Lead, parse_leads
from bot.domain.planner import Slot, parse_quiet_from, plan, quiet_window

LONDON = ZoneInfo("Europe/London")
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
DEFAULT_22 = time(22, 0)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def london(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A London wall-clock time (never one in a skipped or repeated hour) as aware UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON).astimezone(UTC)


def wall(slots: list[Slot]) -> list[tuple[str, str]]:
    """Each slot as its name and the London wall-clock time people would see."""
    return [(slot.name, f"{slot.due_at.astimezone(LONDON):%a %d %b %H:%M}") for slot in slots]


def instants(slots: list[Slot]) -> list[tuple[str, datetime, bool]]:
    return [(slot.name, slot.due_at, slot.silent) for slot in slots]


# The default plan ---------------------------------------------------------------------


def test_the_default_plan_in_winter() -> None:
    starts = london(2026, 11, 25, 10, 0)

    slots = plan(starts, LONG_AGO, leads=None)

    assert wall(slots) == [
        ("evening-before", "Tue 24 Nov 18:00"),
        ("morning-of", "Wed 25 Nov 08:00"),
        ("before-60m", "Wed 25 Nov 09:00"),
    ]
    assert [slot.content_key for slot in slots] == [
        "reminder_evening",
        "reminder_morning",
        "reminder_soon",
    ]
    assert not any(slot.silent for slot in slots)


def test_the_default_plan_in_summer_is_on_the_london_clock_not_utc() -> None:
    starts = london(2026, 7, 1, 10, 0)  # 09:00 UTC

    slots = plan(starts, LONG_AGO, leads=None)

    assert wall(slots) == [
        ("evening-before", "Tue 30 Jun 18:00"),
        ("morning-of", "Wed 01 Jul 08:00"),
        ("before-60m", "Wed 01 Jul 09:00"),
    ]
    assert [slot.due_at for slot in slots] == [
        utc(2026, 6, 30, 17, 0),
        utc(2026, 7, 1, 7, 0),
        utc(2026, 7, 1, 8, 0),
    ]


@pytest.mark.parametrize(
    ("hour", "minute", "has_morning"),
    [(8, 30, False), (9, 0, False), (9, 30, False), (9, 31, True), (14, 0, True)],
)
def test_the_morning_card_comes_only_when_the_appointment_is_after_09_30(
    hour: int, minute: int, has_morning: bool
) -> None:
    slots = plan(london(2026, 11, 25, hour, minute), LONG_AGO, leads=None)

    names = [slot.name for slot in slots]
    assert names == (
        ["evening-before", "morning-of", "before-60m"]
        if has_morning
        else ["evening-before", "before-60m"]
    )


def test_fewer_keeps_the_evening_before_and_60_minutes_before() -> None:
    slots = plan(london(2026, 11, 25, 14, 0), LONG_AGO, leads=None, fewer=True)

    assert wall(slots) == [
        ("evening-before", "Tue 24 Nov 18:00"),
        ("before-60m", "Wed 25 Nov 13:00"),
    ]


def test_sixty_minutes_before_an_early_appointment_is_the_evening_before() -> None:
    slots = plan(london(2026, 11, 25, 0, 30), LONG_AGO, leads=None)

    assert wall(slots) == [
        ("evening-before", "Tue 24 Nov 18:00"),
        ("before-60m", "Tue 24 Nov 23:30"),
    ]


# A coach's lead times -------------------------------------------------------------------


def test_lead_times_replace_the_default_plan() -> None:
    starts = london(2026, 11, 25, 10, 0)

    slots = plan(starts, LONG_AGO, leads=parse_leads("90s,1d,30m,2h"))

    assert instants(slots) == [
        ("lead-1d", utc(2026, 11, 24, 10, 0), False),
        ("lead-2h", utc(2026, 11, 25, 8, 0), False),
        ("lead-30m", utc(2026, 11, 25, 9, 30), False),
        ("lead-90s", utc(2026, 11, 25, 9, 58, 30), False),
    ]
    assert {slot.content_key for slot in slots} == {"reminder_lead"}


def test_lead_times_ignore_fewer() -> None:
    starts = london(2026, 11, 25, 14, 0)

    assert plan(starts, LONG_AGO, leads=parse_leads("3h"), fewer=True) == [
        Slot("lead-3h", utc(2026, 11, 25, 11, 0))
    ]


# Past slots, and the start itself ----------------------------------------------------------


def test_slots_already_past_are_dropped() -> None:
    starts = london(2026, 11, 25, 10, 0)

    after_evening = plan(starts, utc(2026, 11, 24, 18, 0, 1), leads=None)

    assert [slot.name for slot in after_evening] == ["morning-of", "before-60m"]


def test_a_slot_due_exactly_now_is_kept() -> None:
    starts = london(2026, 11, 25, 10, 0)

    at_morning = plan(starts, utc(2026, 11, 25, 8, 0), leads=None)

    assert [slot.name for slot in at_morning] == ["morning-of", "before-60m"]


@pytest.mark.parametrize("after", [timedelta(0), timedelta(seconds=1), timedelta(days=1)])
def test_nothing_is_planned_at_or_after_the_start(after: timedelta) -> None:
    starts = london(2026, 11, 25, 10, 0)

    assert plan(starts, starts + after, leads=None) == []
    assert plan(starts, starts + after, leads=parse_leads("1s,1d")) == []


def test_a_slot_at_or_after_the_start_is_dropped() -> None:
    # parse_leads refuses these, but a Lead built in code is not checked: the plan still
    # never holds a reminder at the start itself or after it.
    starts = london(2026, 11, 25, 10, 0)
    leads = (Lead(0, "m"), Lead(-1, "h"), Lead(1, "h"))

    assert plan(starts, LONG_AGO, leads=leads) == [Slot("lead-1h", utc(2026, 11, 25, 9, 0))]


def test_one_second_before_the_start_only_a_one_second_lead_is_left() -> None:
    starts = london(2026, 11, 25, 10, 0)
    now = starts - timedelta(seconds=1)

    assert plan(starts, now, leads=parse_leads("1s,5s,1h")) == [Slot("lead-1s", now)]


# Quiet hours ----------------------------------------------------------------------------------


def test_a_slot_inside_quiet_hours_moves_to_07_00_when_that_is_before_the_appointment() -> None:
    starts = london(2026, 11, 25, 7, 45)

    slots = plan(starts, LONG_AGO, leads=None, quiet_from=DEFAULT_22)

    assert instants(slots) == [
        ("evening-before", utc(2026, 11, 24, 18, 0), False),
        ("before-60m", utc(2026, 11, 25, 7, 0), False),  # was 06:45
    ]


def test_without_quiet_hours_the_same_slot_stays_in_the_night() -> None:
    slots = plan(london(2026, 11, 25, 7, 45), LONG_AGO, leads=None, quiet_from=None)

    assert instants(slots)[-1] == ("before-60m", utc(2026, 11, 25, 6, 45), False)


@pytest.mark.parametrize(("hour", "minute"), [(7, 0), (6, 30), (1, 0)])
def test_a_slot_that_cannot_wait_until_07_00_stays_and_goes_silently(
    hour: int, minute: int
) -> None:
    starts = london(2026, 11, 25, hour, minute)

    slots = plan(starts, LONG_AGO, leads=None, quiet_from=DEFAULT_22)

    assert instants(slots)[-1] == ("before-60m", starts - timedelta(minutes=60), True)
    assert instants(slots)[0] == ("evening-before", utc(2026, 11, 24, 18, 0), False)


@pytest.mark.parametrize(
    ("lead", "quiet_from", "expected", "silent"),
    [
        ("13h", time(21, 0), utc(2026, 11, 25, 7, 0), False),  # 21:00 is inside from 21:00
        ("13h", time(22, 0), utc(2026, 11, 24, 21, 0), False),  # 21:00 is before 22:00
        ("12h", time(22, 0), utc(2026, 11, 25, 7, 0), False),  # 22:00 is inside from 22:00
        ("181m", time(22, 0), utc(2026, 11, 25, 7, 0), False),  # 06:59 is inside
        ("180m", time(22, 0), utc(2026, 11, 25, 7, 0), False),  # 07:00 is outside
    ],
)
def test_the_quiet_hours_edges(
    lead: str, quiet_from: time, expected: datetime, silent: bool
) -> None:
    starts = london(2026, 11, 25, 10, 0)

    slots = plan(starts, LONG_AGO, leads=parse_leads(lead), quiet_from=quiet_from)

    assert [(slot.due_at, slot.silent) for slot in slots] == [(expected, silent)]


def test_slots_moved_to_the_same_07_00_are_sent_once() -> None:
    starts = london(2026, 11, 25, 10, 0)

    slots = plan(starts, LONG_AGO, leads=parse_leads("9h,8h,3h,1h"), quiet_from=DEFAULT_22)

    # 01:00 and 02:00 move to 07:00, where the 3h lead already is.
    assert [(slot.due_at, slot.silent) for slot in slots] == [
        (utc(2026, 11, 25, 7, 0), False),
        (utc(2026, 11, 25, 9, 0), False),
    ]


def test_planning_again_during_the_night_keeps_the_moved_slot() -> None:
    starts = london(2026, 11, 25, 7, 45)

    slots = plan(starts, utc(2026, 11, 25, 6, 50), leads=None, quiet_from=DEFAULT_22)

    assert instants(slots) == [("before-60m", utc(2026, 11, 25, 7, 0), False)]


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


# quiet_window ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "window"),
    [
        (london(2026, 11, 25, 23, 0), (london(2026, 11, 25, 22, 0), london(2026, 11, 26, 7, 0))),
        (london(2026, 11, 26, 3, 0), (london(2026, 11, 25, 22, 0), london(2026, 11, 26, 7, 0))),
        (london(2026, 11, 25, 22, 0), (london(2026, 11, 25, 22, 0), london(2026, 11, 26, 7, 0))),
        (london(2026, 11, 26, 6, 59), (london(2026, 11, 25, 22, 0), london(2026, 11, 26, 7, 0))),
        (london(2026, 11, 26, 7, 0), None),
        (london(2026, 11, 25, 21, 59), None),
        (london(2026, 11, 25, 12, 0), None),
        # March: from Saturday 22:00 GMT to Sunday 07:00 BST, eight hours.
        (utc(2026, 3, 28, 23, 0), (utc(2026, 3, 28, 22, 0), utc(2026, 3, 29, 6, 0))),
        (utc(2026, 3, 29, 5, 59), (utc(2026, 3, 28, 22, 0), utc(2026, 3, 29, 6, 0))),
        (utc(2026, 3, 29, 6, 0), None),  # 07:00 BST
        # October: from Saturday 22:00 BST to Sunday 07:00 GMT, ten hours.
        (utc(2026, 10, 24, 21, 0), (utc(2026, 10, 24, 21, 0), utc(2026, 10, 25, 7, 0))),
        (utc(2026, 10, 25, 1, 30), (utc(2026, 10, 24, 21, 0), utc(2026, 10, 25, 7, 0))),
        (utc(2026, 10, 25, 6, 59), (utc(2026, 10, 24, 21, 0), utc(2026, 10, 25, 7, 0))),
        (utc(2026, 10, 24, 20, 59), None),  # 21:59 BST
    ],
)
def test_quiet_window_from_22_00(
    moment: datetime, window: tuple[datetime, datetime] | None
) -> None:
    assert quiet_window(moment, DEFAULT_22) == window


def test_quiet_window_from_21_00() -> None:
    assert quiet_window(london(2026, 11, 25, 21, 0), time(21, 0)) == (
        london(2026, 11, 25, 21, 0),
        london(2026, 11, 26, 7, 0),
    )
    assert quiet_window(london(2026, 11, 25, 20, 59), time(21, 0)) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("21:00", time(21, 0)), ("22:00", time(22, 0)), ("22", time(22, 0))],
)
def test_parse_quiet_from(value: str | None, expected: time | None) -> None:
    assert parse_quiet_from(value) == expected
