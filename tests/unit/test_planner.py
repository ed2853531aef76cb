"""The reminder plan of one appointment: which slots, on the London wall clock, and how
a coach's lead times, slots already past and quiet hours change them. The 2026 clock
changes are test_planner_clock_changes.py's; the quiet window itself test_quiet_hours.py's."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from bot.domain.leads import Lead, parse_leads
from bot.domain.planner import Slot, plan
from tests.support.wall_clock import DEFAULT_22, LONG_AGO, instants, london, utc, wall

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
