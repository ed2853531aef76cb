"""People who agreed and are linked to a Telegram chat, and messages due to them: what
the dispatcher's tests and benches send. Set up through the services, with the link and
the consent written as /start and onboarding would leave them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import select

from bot.composition import Waymark
from bot.domain.actor import Actor
from bot.models import Account, ChannelLink, Consent, Person
from bot.services import accounts, appointments, outbox, people
from bot.services.appointments import NewAppointment
from bot.storage import committed

COACH = "due@waymark.test"


@dataclass(frozen=True)
class Linked:
    ref: str
    person_id: int
    chat_id: int


def linked(app: Waymark, count: int, *, first_chat: int = 7000) -> list[Linked]:
    """`count` people who agreed, each linked to chat `first_chat + n`, reminded an hour
    before each appointment."""
    clock = app.clock
    with committed(app.uow) as uow:
        if uow.session.exec(select(Account).where(Account.email == COACH)).first() is None:
            accounts.add_account(uow, clock, email=COACH, name="Priya")
    found = []
    for n in range(count):
        ref, chat_id = f"D-{first_chat + n}", first_chat + n
        with committed(app.uow) as uow:
            people.add_person(
                uow, clock, ref=ref, name="Sam", borough="Camden", coach_email=COACH, leads="1h"
            )
        with committed(app.uow) as uow:
            person = uow.session.exec(select(Person).where(Person.ref == ref)).one()
            person.consent = Consent.GIVEN
            link = ChannelLink(
                channel="telegram", chat_id=str(chat_id), person_id=person.id, linked_at=clock.now()
            )
            uow.session.add_all([person, link])
            uow.commit()
            assert person.id is not None
            found.append(Linked(ref, person.id, chat_id))
    return found


def reminder_due(app: Waymark, person: Linked, at: datetime) -> None:
    """An appointment an hour after `at`: its hour-before reminder is due at `at`."""
    with committed(app.uow) as uow:
        appointments.add(
            uow,
            app.clock,
            person.ref,
            NewAppointment(at + timedelta(hours=1), "Camden", "Jo"),
            actor=Actor.cli(),
        )


def notes_due(app: Waymark, person: Linked, count: int, at: datetime | None = None) -> None:
    """`count` coach's replies to `person`, due at `at` (now by default)."""
    due = at or app.clock.now()
    with committed(app.uow) as uow:
        for n in range(count):
            outbox.enqueue(
                uow.session,
                key=f"note:{person.person_id}:{due.timestamp()}:{n}",
                kind="coach_reply",
                content_key="coach_reply",
                due_at=due,
                created_at=app.clock.now(),
                person_id=person.person_id,
                variables={"text": f"Note {n + 1}"},
            )
        uow.commit()
