"""Pseudonymising a closed case once its retention period is over (the retention job).

The name, the case reference, every word (messages, relays, alert words, goals and steps,
nudges, the places and people of appointments), the chat links, invites and IOM staff
assignments go. What the evaluation counts stays, under a pseudonym: a random code made
here and written nowhere else, so nothing leads from it back to the case reference: the
borough, the chosen format, consent, the categories of need, appointments' kinds, times,
answers and outcomes, and what was done when (engagement events hold no words). The
coach no longer sees the case; managers' reports still count it.
"""

from __future__ import annotations

import secrets

from sqlmodel import Session, col, update

from bot.domain.clock import Clock
from bot.models import Alert, Appointment, Goal, GoalStep, Person
from bot.services import audit, forgetting, passport, read_only
from bot.services.person_records import records_of

PREFIX = "X-"


def new_pseudonym() -> str:
    """`X-` and 12 random hexadecimal digits: it says nothing about anyone."""
    return PREFIX + secrets.token_hex(6).upper()


def pseudonymise(session: Session, clock: Clock, person: Person) -> dict[str, int]:
    """How many rows of each table went or were stripped of their words."""
    pid = person.id
    assert pid is not None
    records = records_of(session, person)
    read_only.lift(session)
    counts: dict[str, int] = {}
    alert_ids = [alert.id for alert in records.alerts if alert.id is not None]
    forgetting.messages(session, pid, alert_ids, counts)
    forgetting.plans(session, pid, counts, goals=False)
    passport.forget(session, pid, counts)
    forgetting.links(session, pid, records.chat_ids, counts)
    forgetting.webchat(session, records.chat_ids, counts)
    goals = [goal.id for goal in records.goals if goal.id is not None]
    session.exec(update(GoalStep).where(col(GoalStep.goal_id).in_(goals)).values(text=""))
    session.exec(update(Goal).where(col(Goal.id).in_(goals)).values(title="", scaffold={}))
    session.exec(update(Alert).where(col(Alert.person_id) == pid).values(detail=""))
    session.exec(
        update(Appointment)
        .where(col(Appointment.person_id) == pid)
        .values(place="", with_whom="", travel_note=None, latitude=None, longitude=None)
    )
    person.ref = new_pseudonym()
    person.preferred_name = ""
    person.leads = None
    person.quiet_from = None
    person.quiet_day_until = None
    person.pseudonymised_at = clock.now()
    session.add(person)
    audit.record(session, clock, None, "pseudonymise", "case", person_id=pid, via="job")
    return {name: n for name, n in counts.items() if n}
