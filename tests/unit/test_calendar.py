"""Add to calendar: the .ics file a phone's calendar reads, in London time on either side
of a clock change, with an alarm, and discreet about what the appointment is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from bot.domain.localtime import LONDON
from bot.media.calendar import appointment_ics, filename
from bot.rendering.outgoing import CalendarEvent

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def event(starts_at: datetime, revision: int = 1) -> CalendarEvent:
    return CalendarEvent(
        appointment_id=7,
        revision=revision,
        starts_at=starts_at,
        place="Camberwell Office, 45 Camberwell Road",
        summary="Appointment with Jo",
        alarm="Appointment in 1 hour",
    )


def parsed(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


@pytest.mark.parametrize(
    ("starts_at", "wall_clock"),
    [
        (datetime(2026, 11, 25, 10, 0, tzinfo=UTC), "10:00"),  # GMT
        (datetime(2026, 7, 1, 9, 0, tzinfo=UTC), "10:00"),  # BST: an hour ahead of UTC
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "02:30"),  # the morning the clocks change
    ],
)
def test_the_appointment_is_at_its_london_time(starts_at: datetime, wall_clock: str) -> None:
    calendar = parsed(appointment_ics(event(starts_at), NOW))

    (entry,) = calendar.walk("VEVENT")
    start = entry.decoded("dtstart")
    assert start == starts_at
    assert str(start.tzinfo) == "Europe/London"
    assert f"{start:%H:%M}" == wall_clock
    assert entry.decoded("dtend") - start == timedelta(hours=1)
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["tzid"] == "Europe/London"
    assert b"TZID=Europe/London" in appointment_ics(event(starts_at), NOW)


def test_it_alarms_an_hour_before_and_says_only_who_and_where() -> None:
    calendar = parsed(appointment_ics(event(datetime(2026, 11, 25, 10, 0, tzinfo=UTC)), NOW))

    (entry,) = calendar.walk("VEVENT")
    (alarm,) = entry.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(hours=1)
    assert str(alarm["action"]) == "DISPLAY"
    assert str(entry["summary"]) == "Appointment with Jo"
    assert str(entry["location"]) == "Camberwell Office, 45 Camberwell Road"
    assert entry.decoded("dtstamp") == NOW


def test_a_moved_appointment_updates_the_same_entry() -> None:
    first = parsed(appointment_ics(event(datetime(2026, 11, 25, 10, 0, tzinfo=UTC)), NOW))
    moved = parsed(
        appointment_ics(event(datetime(2026, 11, 26, 14, 0, tzinfo=UTC), revision=2), NOW)
    )

    (one,), (two,) = first.walk("VEVENT"), moved.walk("VEVENT")
    assert str(one["uid"]) == str(two["uid"]) == "appointment-7@waymark"
    assert (one["sequence"], two["sequence"]) == (1, 2)
    assert two.decoded("dtstart").astimezone(LONDON).hour == 14


def test_the_file_is_small_and_named_for_the_appointment() -> None:
    data = appointment_ics(event(datetime(2026, 11, 25, 10, 0, tzinfo=UTC)), NOW)

    assert data.startswith(b"BEGIN:VCALENDAR")
    assert len(data) < 2_000
    assert filename(event(NOW)) == "appointment-7.ics"
