"""Setting up the people in a test through the same services the CLI uses."""

from __future__ import annotations

from datetime import datetime

from bot.composition import Waymark
from bot.domain.actor import Actor
from bot.models import Account, Appointment, Person, Role
from bot.services import accounts, appointments, invites, pairing, people
from bot.services.appointments import NewAppointment
from bot.storage import committed

COACH_EMAIL = "coach@waymark.test"


def add_coach(
    app: Waymark,
    email: str = COACH_EMAIL,
    name: str = "Priya",
    *,
    role: Role = Role.COACH,
    password: str | None = None,
) -> Account:
    """An account (a coach unless `role` says otherwise), with a dashboard password if given."""
    with committed(app.uow) as uow:
        return accounts.add_account(
            uow, app.clock, email=email, name=name, role=role, password=password
        )


def add_person(
    app: Waymark,
    ref: str = "IOM-0001",
    name: str = "Sam",
    leads: str | None = None,
    coach: str = COACH_EMAIL,
) -> Person:
    with committed(app.uow) as uow:
        return people.add_person(
            uow,
            app.clock,
            ref=ref,
            name=name,
            borough="Southwark",
            coach_email=coach,
            leads=leads,
        )


def invite(app: Waymark, ref: str = "IOM-0001") -> str:
    with committed(app.uow) as uow:
        return invites.invite_person(uow, app.clock, ref, days=7, actor=Actor.cli())


def pairing_code(app: Waymark, ref: str = "IOM-0001") -> str:
    """Six digits, as a coach reads them out ("483 219")."""
    with committed(app.uow) as uow:
        person = people.person_by_ref(uow.session, ref)
        return pairing.make(uow.session, app.clock, person, actor=Actor.cli()).spoken


def coach_invite(app: Waymark, email: str = COACH_EMAIL) -> str:
    with committed(app.uow) as uow:
        return invites.invite_coach(uow, app.clock, email, days=7)


def add_appointment(
    app: Waymark,
    starts_at: datetime,
    ref: str = "IOM-0001",
    place: str = "Camberwell Office, 45 Camberwell Road",
    with_whom: str = "Jo",
    leads: str | None = None,
) -> Appointment:
    with committed(app.uow) as uow:
        return appointments.add(
            uow,
            app.clock,
            ref,
            NewAppointment(starts_at, place, with_whom, "probation", leads),
            actor=Actor.cli(),
        )


def person(app: Waymark, ref: str = "IOM-0001") -> Person:
    with committed(app.uow) as uow:
        return people.person_by_ref(uow.session, ref)
