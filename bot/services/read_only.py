"""A closed case is read-only: no change to the person, their appointments, needs, goals,
steps, nudges, schedules, invites, chat links or About me can be saved, whichever service,
page, API call or command tries.

The guard sits where every change passes: it is a listener on every session's flush
(`install`, called once by the composition root). When a flush would add, change or
delete a row of a closed person, it refuses with `CaseClosed`, a clear error that every
entry point already shows (a form's error page, the API's 422, a line on the command
line). What is written about a person without changing their record (messages sent, what
they did, alerts, the audit trail) is not held back, so the goodbye can still go.

The services that change a case's state (closing, reopening, erasing, pseudonymising) say
so on their unit of work with `lift`, which lets that one session through.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import col

from bot.domain.errors import Invalid
from bot.models import (
    Appointment,
    ChannelLink,
    Goal,
    GoalStep,
    Invite,
    Need,
    Nudge,
    PassportVersion,
    Person,
    Schedule,
)

LIFTED = "waymark.case_lifecycle"  # the session's info key that lets it through
GUARDED = (
    Person,
    Appointment,
    Goal,
    GoalStep,
    Nudge,
    Schedule,
    Need,
    Invite,
    ChannelLink,
    PassportVersion,  # their About me; their consent history stays open: it is their say
)


class CaseClosed(Invalid):
    def __init__(self) -> None:
        super().__init__(
            "This case is closed, so its record cannot be changed. Reopen the case first."
        )


def lift(session: OrmSession) -> None:
    """This unit of work closes, reopens, erases or pseudonymises a case: let it through."""
    session.info[LIFTED] = True


def install() -> None:
    """Guard every session's flushes from now on (once per process; again is harmless)."""
    if not event.contains(OrmSession, "before_flush", _guard):
        event.listen(OrmSession, "before_flush", _guard)


def _guard(session: OrmSession, _context: Any, _instances: Any) -> None:
    if session.info.get(LIFTED):
        return
    touched = [row for row in (*session.new, *session.deleted) if isinstance(row, GUARDED)] + [
        row for row in session.dirty if isinstance(row, GUARDED) and session.is_modified(row)
    ]
    if not touched:
        return
    people = _people_of(session, touched)
    if not people:
        return
    closed = session.connection().execute(
        select(col(Person.id))
        .where(col(Person.id).in_(people))
        .where(col(Person.closed_at).is_not(None))
        .limit(1)
    )
    if closed.first() is not None:
        raise CaseClosed


def _people_of(session: OrmSession, rows: Iterable[object]) -> set[int]:
    """The ids of the people the rows belong to (as the database holds them)."""
    people: set[int] = set()
    goals: set[int] = set()
    for row in rows:
        if isinstance(row, GoalStep):
            goals.add(row.goal_id)
        owner = row.id if isinstance(row, Person) else getattr(row, "person_id", None)
        if isinstance(owner, int):
            people.add(owner)
    if goals:
        owners = session.connection().execute(
            select(col(Goal.person_id)).where(col(Goal.id).in_(goals))
        )
        people.update(owner for (owner,) in owners)
    return people
