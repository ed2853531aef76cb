"""A coach asks for a person's subject access export; an admin makes it.

The request is an entry in the audit trail ("export-request", naming the person, by the
coach): the trail already says who asked for what and when, and an admin's export of the
same person (an "export" entry after it) answers it. The admin's records page lists the
requests still waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from bot.domain.clock import Clock
from bot.models import Account, AuditEntry, Person
from bot.services import audit

REQUEST = "export-request"
EXPORT = "export"


@dataclass(frozen=True)
class Waiting:
    ref: str
    asked_at: datetime
    asked_by: str


def request_export(
    session: Session, clock: Clock, person: Person, *, account_id: int | None, via: str
) -> bool:
    """Ask for the person's export; False when a request is waiting already."""
    assert person.id is not None
    if any(w.ref == person.ref for w in waiting(session)):
        return False
    audit.record(
        session, clock, account_id, REQUEST, "subject access", person_id=person.id, via=via
    )
    return True


def waiting(session: Session) -> list[Waiting]:
    """Requests with no export of the same person since, oldest first."""
    later = aliased(AuditEntry)
    answered = (
        select(later.id)
        .where(col(later.person_id) == col(AuditEntry.person_id))
        .where(col(later.action) == EXPORT)
        .where(col(later.id) > col(AuditEntry.id))
        .exists()
    )
    query = (
        select(AuditEntry, Person.ref, Account.name)
        .join(Person, col(Person.id) == col(AuditEntry.person_id))
        .outerjoin(Account, col(Account.id) == col(AuditEntry.account_id))
        .where(col(AuditEntry.action) == REQUEST)
        .where(~answered)
        .order_by(col(AuditEntry.id))
    )
    return [
        Waiting(ref, entry.at, name or "the command line")
        for entry, ref, name in session.exec(query).all()
    ]
