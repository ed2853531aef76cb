"""The read-only picture of a person that flows are given."""

from __future__ import annotations

from sqlmodel import Session

from bot.clock import Clock
from bot.flows.types import AppointmentView, PersonView
from bot.models import Appointment, Person
from bot.services.alerts import coach_of
from bot.services.appointments import upcoming


def appointment_view(appointment: Appointment) -> AppointmentView:
    assert appointment.id is not None
    return AppointmentView(
        id=appointment.id,
        revision=appointment.revision,
        starts_at=appointment.starts_at,
        place=appointment.place,
        with_whom=appointment.with_whom,
        kind=appointment.kind,
    )


def person_view(session: Session, clock: Clock, person: Person) -> PersonView:
    return PersonView(
        name=person.preferred_name,
        coach_name=coach_of(session, person).name,
        consent=person.consent,
        paused=person.paused,
        format=person.format,
        upcoming=tuple(appointment_view(a) for a in upcoming(session, clock, person)),
    )
