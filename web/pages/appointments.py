"""A person's appointments: add one (its reminders are planned at once), and on its own
page move it, cancel it or record what happened. IOM staff record outcomes only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, Response

from bot.domain import limits
from bot.domain.actor import Actor
from bot.domain.clock import Clock
from bot.domain.errors import Invalid
from bot.models import Account, Appointment, AppointmentKind, AppointmentStatus, Person
from bot.services import access, appointments, audit
from bot.services.access import Can, person_for
from bot.services.appointments import NewAppointment
from bot.storage import UnitOfWork
from web.auth import CurrentAccount
from web.deps import ClockDep, ContentDep, SettingsDep, UowDep
from web.pages import person_page
from web.pages.forms import done, person_url, read_moment, ref_from_url
from web.templating import page

router = APIRouter()
Text = Annotated[str, Form(max_length=2000)]
PLACE_MAX = limits.PLACE
WHO_MAX = limits.WITH_WHOM
NOTE_MAX = limits.TRAVEL_NOTE
# The service's field keys, as the form names its fields.
FIELDS = {
    "starts_at": "appt-date",
    "place": "appt-place",
    "with_whom": "appt-with",
    "kind": "appt-kind",
    "travel_note": "appt-note",
    "latitude": "appt-lat",
    "longitude": "appt-lon",
}
EXAMPLE = {"latitude": "51.4741", "longitude": "-0.0931"}


def _own(uow: UnitOfWork, account: Account, ref: str, appointment_id: int, can: Can) -> Appointment:
    """The appointment, if it is this person's and the person is the account's to see."""
    found, _ = access.appointment_of(uow.session, account, ref_from_url(ref), appointment_id, can)
    return found


def _person_of(uow: UnitOfWork, appointment: Appointment) -> Person:
    found = uow.session.get(Person, appointment.person_id)
    assert found is not None
    return found


def _show(
    request: Request,
    uow: UnitOfWork,
    clock: Clock,
    account: Account,
    appointment: Appointment,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    if errors:
        uow.rollback()
    person = _person_of(uow, appointment)
    subject = f"appointment {appointment.id}"
    audit.record(uow.session, clock, account.id, "view", subject, person_id=person.id)
    now = clock.now()
    scheduled = appointment.status == AppointmentStatus.SCHEDULED
    context = person_page.common(request, values) | {
        "person": person,
        "appointment": appointment,
        "can_move": scheduled and appointment.outcome is None,
        "can_record": scheduled and appointment.starts_at <= now,
        "outcome_options": person_page.OUTCOME_OPTIONS,
        "errors": errors or {},
    }
    return page(request, "people/appointment.html", context, 422 if errors else 200)


@router.post("/people/{ref}/appointments", response_model=None)
def add(
    request: Request,
    ref: str,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    account: CurrentAccount,
    date: Text = "",
    time: Text = "",
    place: Text = "",
    with_whom: Text = "",
    kind: Text = "",
    travel_note: Text = "",
    latitude: Text = "",
    longitude: Text = "",
) -> Response:
    found = person_for(uow.session, account, ref_from_url(ref), Can.EDIT)
    values = {
        "appt-date": date,
        "appt-time": time,
        "appt-place": place,
        "appt-with": with_whom,
        "appt-kind": kind,
    }
    values |= {"appt-note": travel_note, "appt-lat": latitude, "appt-lon": longitude}
    errors: dict[str, str] = {}
    how = _how_to_get_there(travel_note, latitude, longitude, errors)
    starts_at = read_moment(clock, date, time, ("appt-date", "appt-time"), errors)
    place, with_whom = " ".join(place.split()), " ".join(with_whom.split())
    if not place:
        errors["appt-place"] = "Enter the place, with its address"
    elif len(place) > PLACE_MAX:
        errors["appt-place"] = f"The place has {PLACE_MAX} characters at most"
    if not with_whom:
        errors["appt-with"] = "Enter who they will see"
    elif len(with_whom) > WHO_MAX:
        errors["appt-with"] = f"Who they will see has {WHO_MAX} characters at most"
    if kind not in {k.value for k in AppointmentKind}:
        errors["appt-kind"] = "Choose the kind of appointment"
    if errors or starts_at is None:
        return person_page.show(
            request, uow, clock, content, settings, account, found, errors=errors, values=values
        )
    new = NewAppointment(starts_at, place, with_whom, kind, **how)
    try:
        appointments.add(uow, clock, found.ref, new, actor=Actor.dashboard(account.id))
    except Invalid as problem:
        problems = problem.problems or {"starts_at": str(problem)}
        errors = {
            FIELDS.get(key, "appt-date"): words.capitalize() for key, words in problems.items()
        }
        return person_page.show(
            request, uow, clock, content, settings, account, found, errors=errors, values=values
        )
    return done(
        request,
        person_url(found.ref, "#appointments"),
        "Appointment added; its reminders are planned",
    )


def _how_to_get_there(
    note: str, latitude: str, longitude: str, errors: dict[str, str]
) -> dict[str, Any]:
    """The travel note and the place's coordinates (both or neither), as NewAppointment
    takes them; a problem goes into `errors` under its field."""
    note = " ".join(note.split())
    if len(note) > NOTE_MAX:
        errors["appt-note"] = f"The travel note has {NOTE_MAX} characters at most"
    where: dict[str, float | None] = {}
    for field, name, value, bound in (
        ("appt-lat", "latitude", latitude, limits.LATITUDE),
        ("appt-lon", "longitude", longitude, limits.LONGITUDE),
    ):
        try:
            number = float(value) if value.strip() else None
        except ValueError:
            number = None
            errors[field] = f"Enter the {name} as a number, like {EXAMPLE[name]}"
        if number is not None and not (-bound <= number <= bound and number == number):
            errors[field] = f"The {name} is between -{bound} and {bound}"
        where[name] = number
    if (where["latitude"] is None) != (where["longitude"] is None) and not errors:
        errors["appt-lat"] = "Enter both the latitude and the longitude, or neither"
    return {"travel_note": note or None, **where}


@router.get("/people/{ref}/appointments/{appointment_id}")
def show(
    request: Request,
    ref: str,
    appointment_id: int,
    uow: UowDep,
    clock: ClockDep,
    account: CurrentAccount,
) -> HTMLResponse:
    appointment = _own(uow, account, ref, appointment_id, Can.SUMMARY)
    return _show(request, uow, clock, account, appointment)


@router.post("/people/{ref}/appointments/{appointment_id}/move", response_model=None)
def move(
    request: Request,
    ref: str,
    appointment_id: int,
    uow: UowDep,
    clock: ClockDep,
    account: CurrentAccount,
    date: Text = "",
    time: Text = "",
) -> Response:
    appointment = _own(uow, account, ref, appointment_id, Can.EDIT)
    values = {"move-date": date, "move-time": time}
    errors: dict[str, str] = {}
    starts_at = read_moment(clock, date, time, ("move-date", "move-time"), errors)
    if starts_at is None:
        return _show(request, uow, clock, account, appointment, errors, values)
    person = _person_of(uow, appointment)
    try:
        appointments.move(uow, clock, appointment_id, starts_at, actor=Actor.dashboard(account.id))
    except Invalid as problem:
        errors = {"move-date": str(problem).capitalize()}
        return _show(request, uow, clock, account, appointment, errors, values)
    return done(
        request,
        person_url(person.ref, "#appointments"),
        "Appointment moved; its reminders are planned again",
    )


@router.post("/people/{ref}/appointments/{appointment_id}/cancel", response_model=None)
def cancel(
    request: Request,
    ref: str,
    appointment_id: int,
    uow: UowDep,
    clock: ClockDep,
    account: CurrentAccount,
) -> Response:
    appointment = _own(uow, account, ref, appointment_id, Can.EDIT)
    person = _person_of(uow, appointment)
    appointments.cancel(uow, clock, appointment_id, actor=Actor.dashboard(account.id))
    return done(
        request,
        person_url(person.ref, "#appointments"),
        "Appointment cancelled; its reminders will not be sent",
    )


@router.post("/people/{ref}/appointments/{appointment_id}/outcome", response_model=None)
def outcome(
    request: Request,
    ref: str,
    appointment_id: int,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    account: CurrentAccount,
    outcome: Text = "",
    back: Text = "",
) -> Response:
    appointment = _own(uow, account, ref, appointment_id, Can.OUTCOMES)
    person = _person_of(uow, appointment)
    actor = Actor.dashboard(account.id)
    try:
        appointments.record_outcome(uow, clock, appointment_id, outcome, actor=actor)
    except Invalid as problem:
        field = f"outcome-{appointment_id}"
        message = str(problem) if outcome else "Choose attended, missed or rescheduled"
        errors = {field: message[:1].upper() + message[1:]}
        values = {field: outcome}
        if back == "person":
            return person_page.show(
                request,
                uow,
                clock,
                content,
                settings,
                account,
                person,
                errors=errors,
                values=values,
            )
        return _show(request, uow, clock, account, appointment, errors, values)
    return done(request, person_url(person.ref, "#appointments"), "Outcome recorded")
