"""The audit trail: who viewed or changed a person's data, exported data, or changed
accounts. An entry is added to the caller's unit of work, so it is committed with the
change it describes (or not at all). It names what was touched, never the data itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain.actor import Actor
from bot.domain.clock import Clock
from bot.models import Account, AuditEntry, Person


def record(
    session: Session,
    clock: Clock,
    account_id: int | None,
    action: str,
    subject: str,
    *,
    person_id: int | None = None,
    via: str = "web",
) -> None:
    session.add(
        AuditEntry(
            at=clock.now(),
            account_id=account_id,
            action=action[:20],
            person_id=person_id,
            subject=subject[:80],
            via=via,
        )
    )


def by(
    session: Session,
    clock: Clock,
    actor: Actor,
    action: str,
    subject: str,
    *,
    person_id: int | None = None,
) -> None:
    """The entry for what `actor` did, in the same unit of work as the change."""
    record(session, clock, actor.account_id, action, subject, person_id=person_id, via=actor.via)


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: datetime
    account: str | None
    action: str
    subject: str
    person_ref: str | None
    via: str


def entries(
    session: Session,
    *,
    account_id: int | None = None,
    person_ref: str | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> list[AuditLine]:
    """The newest entries first, optionally for one account or one person; page with
    `before_id` (the last id seen)."""
    query = (
        select(AuditEntry, Account.email, Person.ref)
        .outerjoin(Account, col(Account.id) == col(AuditEntry.account_id))
        .outerjoin(Person, col(Person.id) == col(AuditEntry.person_id))
        .order_by(col(AuditEntry.id).desc())
        .limit(limit)
    )
    if account_id is not None:
        query = query.where(AuditEntry.account_id == account_id)
    if person_ref:
        query = query.where(Person.ref == person_ref.strip().upper())
    if before_id is not None:
        query = query.where(col(AuditEntry.id) < before_id)
    return [
        AuditLine(entry.id or 0, entry.at, email, entry.action, entry.subject, ref, entry.via)
        for entry, email, ref in session.exec(query).all()
    ]
