"""An appointment as a calendar file (.ics), so the phone's own calendar can alarm too.

icalendar writes it, with the Europe/London zone in full (VTIMEZONE), so a phone shows
10:00 for a 10:00 appointment on either side of a clock change. The summary says only
"Appointment with Jo": a calendar is seen by others on a shared phone, so it never says
what kind of appointment it is. The UID is stable per appointment and SEQUENCE is its
revision, so opening the file for a moved appointment updates the entry, not a copy.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.localtime import LONDON
from bot.rendering.outgoing import CalendarEvent

LENGTH = timedelta(hours=1)  # appointments have no end time; an hour is what most take
ALARM_BEFORE = timedelta(hours=1)
ZONE_RULES = timedelta(days=400)
PRODUCT = "-//Waymark//Appointment reminders//EN"


def filename(event: CalendarEvent) -> str:
    return f"appointment-{event.appointment_id}.ics"


def appointment_ics(event: CalendarEvent, now: datetime) -> bytes:
    from icalendar import Alarm, Calendar, Event  # here: only when a calendar file is made

    starts = event.starts_at.astimezone(LONDON)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = Event()
    entry.add("uid", f"appointment-{event.appointment_id}@waymark")
    entry.add("sequence", event.revision)
    entry.add("dtstamp", now)
    entry.add("dtstart", starts)
    entry.add("dtend", starts + LENGTH)
    entry.add("summary", event.summary)
    entry.add("location", event.place)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event.alarm)
    alarm.add("trigger", -ALARM_BEFORE)
    entry.add_component(alarm)
    calendar.add_component(entry)
    # The zone's rules for the year around the appointment: enough for any calendar, and
    # a file of about 1 KB rather than 6 KB of clock changes since 1970.
    calendar.add_missing_timezones(
        first_date=(starts - ZONE_RULES).date(), last_date=(starts + ZONE_RULES).date()
    )
    return bytes(calendar.to_ical())
