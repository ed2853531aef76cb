"""A person asks, in the chat, for their data to be deleted: an admin's task.

Like a subject access request (access_requests.py), the request is an entry in the audit
trail ("erase-request", naming the person, by nobody: the person asked in the chat). The
admin's records page lists the requests still waiting; an erasure answers one (the
person is gone, so it leaves the list), and so does the admin's note that the law does
not allow it yet ("erase-refused", the reason said to the person by their coach).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain.clock import Clock
from bot.models import AuditEntry, Person
from bot.services import audit

REQUEST = "erase-request"


@dataclass(frozen=True)
class Waiting:
    ref: str
    asked_at: datetime


def request_erasure(session: Session, clock: Clock, person: Person, *, via: str) -> bool:
    """Ask for the person's erasure; False when a request is waiting already."""
    assert person.id is not None
    if any(w.ref == person.ref for w in waiting(session)):
        return False
    audit.record(session, clock, None, REQUEST, "erasure", person_id=person.id, via=via)
    return True


def waiting(session: Session) -> list[Waiting]:
    """Requests of people who are still here, oldest first."""
    query = (
        select(AuditEntry, Person.ref)
        .join(Person, col(Person.id) == col(AuditEntry.person_id))
        .where(col(AuditEntry.action) == REQUEST)
        .order_by(col(AuditEntry.id))
    )
    return [Waiting(ref, entry.at) for entry, ref in session.exec(query).all()]
