"""Writing to the outbox and reading it back. Rows are keyed, so writing twice is safe."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, or_, select, update

from bot.domain.clock import Clock
from bot.models import OutboxMessage, OutboxStatus
from bot.services import engagement


def enqueue(
    session: Session,
    *,
    key: str,
    kind: str,
    content_key: str,
    due_at: datetime,
    created_at: datetime,
    variables: dict[str, Any] | None = None,
    silent: bool = False,
    **refs: Any,
) -> OutboxMessage:
    """Add a row unless one with this key exists. A cancelled one comes back to life
    (the same reminder was planned again); a sent one is never sent again.

    One ``INSERT ... ON CONFLICT (key) DO NOTHING``: two planners writing the same key at
    once both succeed (on PostgreSQL the second waits for the first to commit, then
    leaves its row alone), where a look first and an insert after let both insert and
    the unique key roll back one planner's whole run."""
    values = {
        "key": key,
        "kind": kind,
        "content_key": content_key,
        "due_at": due_at,
        "variables": variables or {},
        "silent": silent,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "created_at": created_at,
        **refs,
    }
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    added = session.execute(
        insert(OutboxMessage)
        .values(values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(OutboxMessage.id))
    ).scalar_one_or_none()
    if added is None:
        session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.key) == key)
            .where(col(OutboxMessage.status) == OutboxStatus.CANCELLED)
            .values(status=OutboxStatus.PENDING, silent=silent)
        )
    return session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).one()


def cancel_pending(session: Session, appointment_id: int) -> int:
    result = session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.appointment_id) == appointment_id)
        .where(col(OutboxMessage.status) == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED)
    )
    return int(result.rowcount)


def recent(
    session: Session, now: datetime, hours: int = 24, limit: int = 200
) -> list[OutboxMessage]:
    """Everything not yet done, and what finished in the last `hours`."""
    since = now - timedelta(hours=hours)
    waiting = col(OutboxMessage.status).in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
    return list(
        session.exec(
            select(OutboxMessage)
            .where(or_(waiting, col(OutboxMessage.due_at) >= since))
            .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
            .limit(limit)
        ).all()
    )


def settle(session: Session, row_id: int, token: str, status: OutboxStatus, **values: Any) -> bool:
    """What became of a claimed row, written only while the row is still ``sending``
    under the claim `token`. False, and nothing written, when the row has gone to
    another claim (this one's lease ran out) or was finished by it: the caller then
    writes nothing else either."""
    result = session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == row_id)
        .where(col(OutboxMessage.status) == OutboxStatus.SENDING)
        .where(col(OutboxMessage.claim_token) == token)
        .values(status=status, claimed_until=None, **values)
    )
    return int(result.rowcount) == 1


def mark_sent(
    session: Session, clock: Clock, row_id: int, token: str, channel_message_id: str | None
) -> bool:
    """A message went: the row is sent, and its person's engagement says so (what the
    reports count as a reminder sent). False when the claim `token` no longer holds it."""
    if not settle(
        session,
        row_id,
        token,
        OutboxStatus.SENT,
        sent_at=clock.now(),
        channel_message_id=channel_message_id,
        last_error=None,
    ):
        return False
    row = session.get(OutboxMessage, row_id)
    assert row is not None
    if row.person_id is not None:
        engagement.record(
            session,
            clock,
            row.person_id,
            "message_sent",
            {"kind": row.kind, "slot": row.slot, "outbox_id": row.id},
            appointment_id=row.appointment_id,
        )
    return True
