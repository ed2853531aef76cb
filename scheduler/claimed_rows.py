"""Everything a claim's rows need, loaded in a few queries for all of them at once.

Preparing a claim of 50 rows one query at a time costs hundreds of round trips, each
with the ORM's overhead; here each kind of thing is one query (the rows, their people,
appointments, links and coaches, and the newest reminder due for each appointment), and
held here (the session holds its objects only weakly), so that `session.get` finds them
without asking the database again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.models import Account, Appointment, ChannelLink, OutboxMessage, OutboxStatus, Person


@dataclass(frozen=True)
class ClaimedRows:
    rows: dict[int, OutboxMessage]
    loaded: list[object]  # people, appointments, coaches: kept alive in the session
    person_links: dict[int, ChannelLink]  # by person id
    coach_links: dict[int, ChannelLink]  # by coach (account) id
    newest_reminder: dict[int, datetime]  # by appointment: the latest reminder due by now

    @classmethod
    def load(cls, session: Session, ids: list[int], now: datetime) -> ClaimedRows:
        rows = {
            row.id: row
            for row in session.exec(select(OutboxMessage).where(col(OutboxMessage.id).in_(ids)))
            if row.id is not None
        }
        person_ids = _ids(row.person_id for row in rows.values())
        appointment_ids = _ids(row.appointment_id for row in rows.values())
        people = session.exec(select(Person).where(col(Person.id).in_(person_ids))).all()
        coach_ids = _ids(person.coach_id for person in people)
        return cls(
            rows,
            [
                *people,
                *session.exec(select(Appointment).where(col(Appointment.id).in_(appointment_ids))),
                *session.exec(select(Account).where(col(Account.id).in_(coach_ids))),
            ],
            _links(session, "person_id", person_ids),
            _links(session, "coach_id", _ids(row.coach_id for row in rows.values())),
            _newest_reminders(session, appointment_ids, now),
        )

    def superseded(self, row: OutboxMessage) -> bool:
        """A later reminder for the same appointment is due too: only the newest goes."""
        newest = self.newest_reminder.get(row.appointment_id or 0)
        return newest is not None and newest > row.due_at


def _ids(values: Iterable[int | None]) -> list[int]:
    return sorted({value for value in values if value is not None})


def _links(session: Session, owner: str, ids: list[int]) -> dict[int, ChannelLink]:
    """The first link of each owner: people (`owner` "person_id") or coaches ("coach_id")."""
    found: dict[int, ChannelLink] = {}
    if ids:
        field = col(getattr(ChannelLink, owner))
        links = session.exec(
            select(ChannelLink).where(field.in_(ids)).order_by(col(ChannelLink.id))
        )
        for link in links:
            found.setdefault(getattr(link, owner), link)
    return found


def _newest_reminders(
    session: Session, appointment_ids: list[int], now: datetime
) -> dict[int, datetime]:
    if not appointment_ids:
        return {}
    newest = session.exec(
        select(col(OutboxMessage.appointment_id), func.max(OutboxMessage.due_at))
        .where(col(OutboxMessage.appointment_id).in_(appointment_ids))
        .where(OutboxMessage.kind == "reminder")
        .where(col(OutboxMessage.status).in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
        .where(col(OutboxMessage.due_at) <= now)
        .group_by(col(OutboxMessage.appointment_id))
    ).all()
    return {appointment: due for appointment, due in newest if appointment is not None}
