"""Appointments, and the reminders they plan into the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain import limits
from bot.domain.actor import Actor
from bot.domain.clock import Clock
from bot.domain.errors import Invalid, NotFound
from bot.domain.leads import format_leads, parse_leads
from bot.domain.planner import parse_quiet_from, plan
from bot.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Outcome,
    Person,
    ReminderPlan,
)
from bot.services import audit, outbox
from bot.services.people import person_by_ref
from bot.storage import UnitOfWork


@dataclass(frozen=True)
class NewAppointment:
    starts_at: datetime
    place: str
    with_whom: str
    kind: str = AppointmentKind.PROBATION
    leads: str | None = None
    travel_note: str | None = None
    latitude: float | None = None
    longitude: float | None = None


def _travel_note(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    return _text(value, "travel_note", "a travel note", limits.TRAVEL_NOTE)


def _where(latitude: float | None, longitude: float | None) -> tuple[float | None, float | None]:
    """Both coordinates or neither, each on the globe."""
    if (latitude is None) != (longitude is None):
        raise Invalid.of("latitude", "give both the latitude and the longitude, or neither")
    if latitude is not None and not -limits.LATITUDE <= latitude <= limits.LATITUDE:
        raise Invalid.of("latitude", "the latitude must be between -90 and 90")
    if longitude is not None and not -limits.LONGITUDE <= longitude <= limits.LONGITUDE:
        raise Invalid.of("longitude", "the longitude must be between -180 and 180")
    return latitude, longitude


def _kind(value: str) -> AppointmentKind:
    try:
        return AppointmentKind(value.strip().lower())
    except ValueError:
        names = ", ".join(kind.value for kind in AppointmentKind)
        message = f"{value!r} is not a kind of appointment; use one of {names}"
        raise Invalid.of("kind", message) from None


def _text(value: str, field: str, what: str, limit: int) -> str:
    value = " ".join(value.split())
    if not value:
        raise Invalid.of(field, f"{what} is needed")
    if len(value) > limit:
        raise Invalid.of(field, f"{what} is longer than {limit} characters")
    return value


def _leads(value: str | None) -> str | None:
    try:
        parsed = parse_leads(value)
    except ValueError as error:
        raise Invalid.of("leads", str(error)) from None
    return None if parsed is None else format_leads(parsed)


def get(session: Session, appointment_id: int) -> Appointment:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None:
        raise NotFound(f"no appointment with the id {appointment_id}")
    return appointment


def plan_reminders(session: Session, clock: Clock, appointment: Appointment, person: Person) -> int:
    """Write the appointment's reminders as outbox rows; return how many are pending."""
    assert appointment.id is not None
    outbox.cancel_pending(session, appointment.id)
    if appointment.status != AppointmentStatus.SCHEDULED:
        return 0
    leads = parse_leads(appointment.leads or person.leads)
    slots = plan(
        appointment.starts_at,
        clock.now(),
        leads=leads,
        fewer=person.reminder_plan == ReminderPlan.FEWER,
        quiet_from=parse_quiet_from(person.quiet_from),
    )
    for slot in slots:
        key = f"appt:{appointment.id}:{slot.name}@{slot.due_at:%Y%m%dT%H%M%S}"
        outbox.enqueue(
            session,
            key=key,
            kind="reminder",
            content_key=slot.content_key,
            due_at=slot.due_at,
            created_at=clock.now(),
            silent=slot.silent,
            person_id=person.id,
            appointment_id=appointment.id,
            slot=slot.name,
        )
    return len(slots)


def replan_person(session: Session, clock: Clock, person: Person) -> None:
    """After a change of preferences, every appointment ahead is planned again."""
    for appointment in upcoming(session, clock, person):
        plan_reminders(session, clock, appointment, person)


def upcoming(session: Session, clock: Clock, person: Person) -> list[Appointment]:
    return list(
        session.exec(
            select(Appointment)
            .where(Appointment.person_id == person.id)
            .where(Appointment.status == AppointmentStatus.SCHEDULED)
            .where(col(Appointment.starts_at) > clock.now())
            .order_by(col(Appointment.starts_at))
        ).all()
    )


def add(
    uow: UnitOfWork, clock: Clock, ref: str, new: NewAppointment, *, actor: Actor
) -> Appointment:
    session = uow.session
    person = person_by_ref(session, ref)
    if new.starts_at <= clock.now():
        raise Invalid.of("starts_at", "that time is in the past")
    assert person.id is not None
    latitude, longitude = _where(new.latitude, new.longitude)
    appointment = Appointment(
        person_id=person.id,
        starts_at=new.starts_at,
        created_at=clock.now(),
        place=_text(new.place, "place", "a place", limits.PLACE),
        with_whom=_text(new.with_whom, "with_whom", "who", limits.WITH_WHOM),
        kind=_kind(new.kind),
        leads=_leads(new.leads),
        travel_note=_travel_note(new.travel_note),
        latitude=latitude,
        longitude=longitude,
    )
    session.add(appointment)
    session.flush()
    plan_reminders(session, clock, appointment, person)
    audit.by(session, clock, actor, "change", "new appointment", person_id=person.id)
    uow.flush()
    return appointment


def move(
    uow: UnitOfWork, clock: Clock, appointment_id: int, starts_at: datetime, *, actor: Actor
) -> Appointment:
    session = uow.session
    appointment = get(session, appointment_id)
    if appointment.status == AppointmentStatus.CANCELLED:
        raise Invalid(f"appointment {appointment_id} is cancelled")
    if starts_at <= clock.now():
        raise Invalid.of("starts_at", "that time is in the past")
    appointment.starts_at = starts_at
    appointment.revision += 1  # buttons on older reminders now answer "this is old"
    appointment.confirmation = None
    session.add(appointment)
    plan_reminders(session, clock, appointment, _person(session, appointment))
    _audit(session, clock, actor, appointment, "move")
    uow.flush()
    return appointment


def cancel(uow: UnitOfWork, clock: Clock, appointment_id: int, *, actor: Actor) -> Appointment:
    session = uow.session
    appointment = get(session, appointment_id)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.revision += 1
    session.add(appointment)
    plan_reminders(session, clock, appointment, _person(session, appointment))
    _audit(session, clock, actor, appointment, "cancel")
    uow.flush()
    return appointment


def record_outcome(
    uow: UnitOfWork, clock: Clock, appointment_id: int, value: str, *, actor: Actor
) -> Appointment:
    session = uow.session
    appointment = get(session, appointment_id)
    try:
        outcome = Outcome(value.strip().lower())
    except ValueError:
        raise Invalid(f"{value!r} is not an outcome; use attended, missed or rescheduled") from None
    if appointment.status == AppointmentStatus.CANCELLED:
        raise Invalid(f"appointment {appointment_id} was cancelled")
    if appointment.starts_at > clock.now():
        raise Invalid(f"appointment {appointment_id} has not started yet")
    first_time = appointment.outcome is None
    appointment.outcome = outcome
    appointment.outcome_at = clock.now()
    session.add(appointment)
    if outcome == Outcome.MISSED and first_time:  # a kind "what to do now", once
        outbox.enqueue(
            session,
            key=f"missed:{appointment.id}",
            kind="missed_followup",
            content_key="missed_followup",
            due_at=clock.now(),
            created_at=clock.now(),
            person_id=appointment.person_id,
            appointment_id=appointment.id,
        )
    _audit(session, clock, actor, appointment, "outcome")
    uow.flush()
    return appointment


def list_for(session: Session, ref: str) -> list[Appointment]:
    person = person_by_ref(session, ref)
    return list(
        session.exec(
            select(Appointment)
            .where(Appointment.person_id == person.id)
            .order_by(col(Appointment.starts_at))
        ).all()
    )


def _audit(
    session: Session, clock: Clock, actor: Actor, appointment: Appointment, change: str
) -> None:
    subject = f"appointment {appointment.id}: {change}"
    audit.by(session, clock, actor, "change", subject, person_id=appointment.person_id)


def _person(session: Session, appointment: Appointment) -> Person:
    person = session.get(Person, appointment.person_id)
    assert person is not None
    return person
