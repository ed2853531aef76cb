"""Appointments from the dashboard: added with their reminders planned, moved, cancelled,
their outcomes recorded (by the coach or by IOM staff); bad dates and times are named and
save nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.composition import Waymark
from bot.models import (
    Appointment,
    AppointmentStatus,
    AuditEntry,
    OutboxMessage,
    OutboxStatus,
    Outcome,
    Role,
)
from tests.support import world
from tests.support.caseloads import ALEX, KIM, SAM, audit_of, rows, two_caseloads
from tests.support.fakes import FixedClock
from tests.support.web import Site

SOON = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # the clock stands at Monday 23 November, 12:00
GOOD = {
    "date": "2026-11-25",
    "time": "10:00",
    "place": "Camberwell Office, 45 Camberwell Road",
    "with_whom": "Jo",
    "kind": "probation",
}


@pytest.fixture
async def coach(site: Site, site_waymark: Waymark) -> Site:
    two_caseloads(site_waymark)
    await site.login_as(Role.COACH)
    return site


def _pending(app: Waymark, appointment_id: int | None) -> list[datetime]:
    found = rows(
        app,
        OutboxMessage,
        OutboxMessage.appointment_id == appointment_id,
        OutboxMessage.status == OutboxStatus.PENDING,
    )
    return sorted(row.due_at for row in found)


async def test_an_appointment_is_added_in_london_time_with_its_reminders_planned(
    coach: Site, site_waymark: Waymark
) -> None:
    added = await coach.post(f"/people/{SAM}/appointments", GOOD)
    assert added.status_code == 303
    assert added.headers["location"] == f"/people/{SAM}#appointments"
    [appointment] = rows(site_waymark, Appointment)
    assert appointment.starts_at == SOON
    assert appointment.place == GOOD["place"]
    assert _pending(site_waymark, appointment.id) == [
        datetime(2026, 11, 24, 18, 0, tzinfo=UTC),  # the evening before
        datetime(2026, 11, 25, 8, 0, tzinfo=UTC),  # the morning of
        datetime(2026, 11, 25, 9, 0, tzinfo=UTC),  # 60 minutes before
    ]
    page = await coach.get(f"/people/{SAM}")
    assert "Appointment added; its reminders are planned" in page.text
    assert "Wednesday 25 November, 10:00" in page.text
    assert ("change", "new appointment") in audit_of(site_waymark, SAM)


async def test_how_to_get_there_is_saved_with_the_appointment(
    coach: Site, site_waymark: Waymark
) -> None:
    how = {"travel_note": " Bus 36 to  Camberwell Green ", "latitude": "51.4741"}
    added = await coach.post(f"/people/{SAM}/appointments", GOOD | how | {"longitude": "-0.0931"})
    assert added.status_code == 303
    [appointment] = rows(site_waymark, Appointment)
    assert appointment.travel_note == "Bus 36 to Camberwell Green"
    assert (appointment.latitude, appointment.longitude) == (51.4741, -0.0931)
    page = await coach.get(f"/people/{SAM}")
    assert 'name="travel_note"' in page.text
    assert 'name="latitude"' in page.text


async def test_summer_time_is_typed_as_london_time(coach: Site, site_waymark: Waymark) -> None:
    await coach.post(f"/people/{SAM}/appointments", GOOD | {"date": "2027-07-01"})
    [appointment] = rows(site_waymark, Appointment)
    assert appointment.starts_at == datetime(2027, 7, 1, 9, 0, tzinfo=UTC)  # 10:00 BST


BAD = [
    ({"date": "2026-11-20"}, "appt-date", "The date and time must be in the future"),
    ({"date": "2026-02-30"}, "appt-date", "Enter a real date, like 2026-11-25"),
    ({"date": "next tuesday"}, "appt-date", "Enter a real date, like 2026-11-25"),
    ({"date": ""}, "appt-date", "Enter the date"),
    ({"time": "25:00"}, "appt-time", "Enter a real time on the 24-hour clock"),
    ({"time": ""}, "appt-time", "Enter the time"),
    ({"place": "   "}, "appt-place", "Enter the place, with its address"),
    ({"place": "x" * 201}, "appt-place", "The place has 200 characters at most"),
    ({"with_whom": ""}, "appt-with", "Enter who they will see"),
    ({"kind": "party"}, "appt-kind", "Choose the kind of appointment"),
    ({"travel_note": "x" * 201}, "appt-note", "The travel note has 200 characters at most"),
    ({"latitude": "north", "longitude": "0"}, "appt-lat", "Enter the latitude as a number"),
    ({"latitude": "91", "longitude": "0"}, "appt-lat", "The latitude is between -90 and 90"),
    ({"latitude": "51.5", "longitude": "nan"}, "appt-lon", "The longitude is between -180"),
    ({"latitude": "51.4741"}, "appt-lat", "Enter both the latitude and the longitude"),
]


async def test_bad_appointments_are_named_and_nothing_is_saved(
    coach: Site, site_waymark: Waymark
) -> None:
    for change, field, message in BAD:
        page = await coach.post(f"/people/{SAM}/appointments", GOOD | change)
        assert page.status_code == 422, change
        assert f'<a href="#{field}">{message}' in page.text, change
        assert f'id="{field}-error"' in page.text, change
        assert 'value="Jo"' in page.text or change == {"with_whom": ""}  # what was typed stays
    assert not rows(site_waymark, Appointment)
    assert not rows(site_waymark, OutboxMessage)
    assert ("change", "new appointment") not in audit_of(site_waymark, SAM)


async def test_moving_replans_its_reminders(coach: Site, site_waymark: Waymark) -> None:
    appointment = world.add_appointment(site_waymark, SOON, SAM)
    page = await coach.get(f"/people/{SAM}/appointments/{appointment.id}")
    assert page.status_code == 200
    assert 'value="2026-11-25"' in page.text
    assert 'value="10:00"' in page.text
    moved = await coach.post(
        f"/people/{SAM}/appointments/{appointment.id}/move", {"date": "2026-11-26", "time": "14:30"}
    )
    assert moved.status_code == 303
    [after] = rows(site_waymark, Appointment)
    assert after.starts_at == datetime(2026, 11, 26, 14, 30, tzinfo=UTC)
    assert after.revision == 2
    assert _pending(site_waymark, appointment.id)[-1] == datetime(2026, 11, 26, 13, 30, tzinfo=UTC)
    assert audit_of(site_waymark, SAM)[-1] == ("change", f"appointment {appointment.id}: move")


async def test_a_move_into_the_past_is_refused_and_changes_nothing(
    coach: Site, site_waymark: Waymark
) -> None:
    appointment = world.add_appointment(site_waymark, SOON, SAM)
    before = _pending(site_waymark, appointment.id)
    page = await coach.post(
        f"/people/{SAM}/appointments/{appointment.id}/move", {"date": "2026-11-01", "time": "09:00"}
    )
    assert page.status_code == 422
    assert "The date and time must be in the future" in page.text
    assert 'value="2026-11-01"' in page.text
    assert rows(site_waymark, Appointment)[0].starts_at == SOON
    assert _pending(site_waymark, appointment.id) == before


async def test_cancelling_cancels_its_reminders(coach: Site, site_waymark: Waymark) -> None:
    appointment = world.add_appointment(site_waymark, SOON, SAM)
    response = await coach.post(f"/people/{SAM}/appointments/{appointment.id}/cancel")
    assert response.status_code == 303
    assert rows(site_waymark, Appointment)[0].status == AppointmentStatus.CANCELLED
    assert _pending(site_waymark, appointment.id) == []
    page = await coach.get(f"/people/{SAM}")
    assert "Appointment cancelled" in page.text
    assert "Cancelled" in page.text


async def test_an_outcome_is_recorded_once_the_appointment_has_started(
    coach: Site, site_waymark: Waymark, clock: FixedClock
) -> None:
    appointment = world.add_appointment(site_waymark, SOON, SAM)
    path = f"/people/{SAM}/appointments/{appointment.id}/outcome"
    early = await coach.post(path, {"outcome": "attended"})
    assert early.status_code == 422
    assert f"Appointment {appointment.id} has not started yet" in early.text
    clock.set(datetime(2026, 11, 25, 11, 0, tzinfo=UTC))
    assert (await coach.post(path, {"outcome": ""})).status_code == 422
    recorded = await coach.post(path, {"outcome": "missed", "back": "person"})
    assert recorded.status_code == 303
    assert rows(site_waymark, Appointment)[0].outcome == Outcome.MISSED
    followup = rows(site_waymark, OutboxMessage, OutboxMessage.kind == "missed_followup")
    assert len(followup) == 1  # a kind "what to do now" message
    page = await coach.get(f"/people/{SAM}")
    assert "Outcome recorded" in page.text
    assert "Missed" in page.text


async def test_an_appointment_is_found_only_under_its_own_persons_reference(
    coach: Site, site_waymark: Waymark
) -> None:
    kims = world.add_appointment(site_waymark, SOON, KIM)
    for method, rest in [("GET", ""), ("POST", "/cancel"), ("POST", "/move")]:
        path = f"/people/{SAM}/appointments/{kims.id}{rest}"
        response = await (coach.get(path) if method == "GET" else coach.post(path, GOOD))
        assert response.status_code == 404, path
    assert rows(site_waymark, Appointment)[0].status == AppointmentStatus.SCHEDULED


async def test_staff_record_outcomes_of_their_people_but_move_nothing(
    site: Site, site_waymark: Waymark, clock: FixedClock
) -> None:
    two_caseloads(site_waymark)
    sams = world.add_appointment(site_waymark, SOON, SAM)
    alexs = world.add_appointment(site_waymark, SOON, ALEX)
    await site.login_as(Role.STAFF)
    clock.set(datetime(2026, 11, 25, 11, 0, tzinfo=UTC))
    page = await site.get(f"/people/{SAM}")
    assert 'name="outcome"' in page.text
    shown = await site.get(f"/people/{SAM}/appointments/{sams.id}")
    assert shown.status_code == 200
    assert "Move it" not in shown.text
    assert "Cancel appointment" not in shown.text
    base = f"/people/{SAM}/appointments/{sams.id}"
    assert (await site.post(f"{base}/outcome", {"outcome": "attended"})).status_code == 303
    assert (await site.post(f"{base}/cancel")).status_code == 403
    assert (await site.post(f"{base}/move", GOOD)).status_code == 403
    other = f"/people/{ALEX}/appointments/{alexs.id}/outcome"
    assert (await site.post(other, {"outcome": "missed"})).status_code == 404
    outcomes = {a.person_id: a.outcome for a in rows(site_waymark, Appointment)}
    assert sorted(outcomes.values(), key=str) == sorted([Outcome.ATTENDED, None], key=str)
    changes = rows(site_waymark, AuditEntry, AuditEntry.action == "change", AuditEntry.via == "web")
    assert [e.subject for e in changes] == [f"appointment {sams.id}: outcome"]
