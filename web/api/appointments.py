"""Appointments: what a case-management system feeds in (add, move, cancel) and what IOM
staff record afterwards (attended, missed, rescheduled). Each change plans the person's
reminders again in the same commit.

Waymark gives each appointment an id; a system that feeds appointments in keeps that id
beside its own, and moves or cancels by it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from bot.domain import limits
from bot.domain.actor import Actor
from bot.domain.clock import Clock
from bot.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Confirmation,
    Outcome,
    Person,
)
from bot.services import appointments
from bot.services.access import Can, appointment_for, person_for
from bot.services.appointments import NewAppointment
from web.api.deps import Caller, viewed
from web.api.problems import conflict_of, refusals, refuse
from web.api.types import AppointmentId, Input, Instant, Leads, RefPath, text_of
from web.deps import ClockDep, UowDep

router = APIRouter(tags=["appointments"])
Latitude = Annotated[float, Field(ge=-limits.LATITUDE, le=limits.LATITUDE, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-limits.LONGITUDE, le=limits.LONGITUDE, allow_inf_nan=False)]
Place = Annotated[str, text_of(limits.PLACE)]
WithWhom = Annotated[str, text_of(limits.WITH_WHOM)]
TravelNote = Annotated[str, text_of(limits.TRAVEL_NOTE)]


class AppointmentCreate(Input):
    starts_at: Instant
    place: Place  # where, as the person reads it: "Camberwell Office, 45 Camberwell Road"
    with_whom: WithWhom  # who they will see
    kind: AppointmentKind = AppointmentKind.PROBATION
    leads: Leads | None = None  # reminder lead times for this one, like "1d,2h"
    travel_note: TravelNote | None = None  # how to get there, in words the person reads
    latitude: Latitude | None = None  # where the place is (both or neither): a map pin
    longitude: Longitude | None = None


class AppointmentMove(Input):
    starts_at: Instant


class AppointmentOutcome(Input):
    outcome: Outcome


class AppointmentPublic(BaseModel):
    id: int  # Waymark's id: keep it to move, cancel or record the outcome
    person_ref: str
    starts_at: datetime
    place: str
    with_whom: str
    kind: AppointmentKind
    status: AppointmentStatus
    confirmation: Confirmation | None  # what the person answered a reminder
    outcome: Outcome | None
    outcome_at: datetime | None
    leads: str | None
    travel_note: str | None
    latitude: float | None
    longitude: float | None
    created_at: datetime

    @classmethod
    def of(cls, appointment: Appointment, person: Person) -> AppointmentPublic:
        assert appointment.id is not None
        return cls(
            id=appointment.id,
            person_ref=person.ref,
            starts_at=appointment.starts_at,
            place=appointment.place,
            with_whom=appointment.with_whom,
            kind=appointment.kind,
            status=appointment.status,
            confirmation=appointment.confirmation,
            outcome=appointment.outcome,
            outcome_at=appointment.outcome_at,
            leads=appointment.leads,
            travel_note=appointment.travel_note,
            latitude=appointment.latitude,
            longitude=appointment.longitude,
            created_at=appointment.created_at,
        )


def _ahead(clock: Clock, starts_at: datetime) -> None:
    if starts_at <= clock.now():
        raise refuse("starts_at", "that time is in the past")


@router.get(
    "/people/{ref:path}/appointments",
    summary="A person's appointments, earliest first",
    responses=refusals(403, 404, 422),
)
def list_appointments(
    ref: RefPath, uow: UowDep, clock: ClockDep, account: Caller
) -> list[AppointmentPublic]:
    person = person_for(uow.session, account, ref, Can.SUMMARY)
    found = appointments.list_for(uow.session, person.ref)
    viewed(uow, clock, account, "appointments", person.id)
    return [AppointmentPublic.of(appointment, person) for appointment in found]


@router.post(
    "/people/{ref:path}/appointments",
    status_code=201,
    summary="Add an appointment and plan its reminders",
    description=(
        "The reminders follow the person's plan (or `leads`). The answer's `id` is "
        "Waymark's: keep it to move, cancel or record the outcome."
    ),
    responses=refusals(403, 404, 422),
)
def add_appointment(
    ref: RefPath, body: AppointmentCreate, uow: UowDep, clock: ClockDep, account: Caller
) -> AppointmentPublic:
    person = person_for(uow.session, account, ref, Can.EDIT)
    _ahead(clock, body.starts_at)
    new = NewAppointment(body.starts_at, body.place, body.with_whom, body.kind, body.leads)
    new = replace(
        new, travel_note=body.travel_note, latitude=body.latitude, longitude=body.longitude
    )
    added = appointments.add(uow, clock, person.ref, new, actor=Actor.api(account.id))
    return AppointmentPublic.of(added, person)


@router.patch(
    "/appointments/{appointment_id}",
    summary="Move an appointment (its reminders are planned again)",
    description="Buttons on reminders sent before the move now say they are out of date.",
    responses=refusals(403, 404, 409, 422),
)
def move_appointment(
    appointment_id: AppointmentId,
    body: AppointmentMove,
    uow: UowDep,
    clock: ClockDep,
    account: Caller,
) -> AppointmentPublic:
    _, person = appointment_for(uow.session, account, appointment_id, Can.EDIT)
    _ahead(clock, body.starts_at)
    actor = Actor.api(account.id)
    with conflict_of():
        moved = appointments.move(uow, clock, appointment_id, body.starts_at, actor=actor)
    return AppointmentPublic.of(moved, person)


@router.post(
    "/appointments/{appointment_id}/cancel",
    summary="Cancel an appointment (its reminders are not sent)",
    description="Cancelling a cancelled appointment changes nothing more.",
    responses=refusals(403, 404, 422),
)
def cancel_appointment(
    appointment_id: AppointmentId, uow: UowDep, clock: ClockDep, account: Caller
) -> AppointmentPublic:
    found, person = appointment_for(uow.session, account, appointment_id, Can.EDIT)
    if found.status == AppointmentStatus.CANCELLED:
        return AppointmentPublic.of(found, person)
    actor = Actor.api(account.id)
    cancelled = appointments.cancel(uow, clock, appointment_id, actor=actor)
    return AppointmentPublic.of(cancelled, person)


@router.post(
    "/appointments/{appointment_id}/outcome",
    summary="Record whether the person attended",
    description=(
        "Once the appointment has started. After the first 'missed' the person gets a kind "
        "message saying what to do now. Recording again replaces the outcome."
    ),
    responses=refusals(403, 404, 409, 422),
)
def record_outcome(
    appointment_id: AppointmentId,
    body: AppointmentOutcome,
    uow: UowDep,
    clock: ClockDep,
    account: Caller,
) -> AppointmentPublic:
    _, person = appointment_for(uow.session, account, appointment_id, Can.OUTCOMES)
    actor = Actor.api(account.id)
    with conflict_of():
        recorded = appointments.record_outcome(
            uow, clock, appointment_id, body.outcome.value, actor=actor
        )
    return AppointmentPublic.of(recorded, person)
