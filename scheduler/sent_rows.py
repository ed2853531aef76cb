"""Marking many rows sent in one unit of work: what bot/services/outbox.py `mark_sent`
and bot/services/sent.py `delivered` do for one row, done for a batch in a fixed number
of statements, each row fenced by its own claim.

The fence: the rows are read with their claim tokens and locked (``FOR UPDATE`` on
PostgreSQL; on SQLite the unit of work holds the database's write lock from its first
statement), and only those still ``sending`` under the claim that sent them are written,
by one UPDATE run for each (executemany) whose WHERE says the same again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session, SQLModel, col

from bot.models import EngagementEvent, OutboxMessage, OutboxStatus, SentMessage
from bot.rendering.outgoing import Draft
from bot.services import sent

_OUTBOX = SQLModel.metadata.tables["outbox"]
_MARK = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("row"))
    .where(_OUTBOX.c.status == OutboxStatus.SENDING)
    .where(_OUTBOX.c.claim_token == bindparam("token"))
    .values(
        status=OutboxStatus.SENT,
        sent_at=bindparam("at"),
        channel_message_id=bindparam("message"),
        claimed_until=None,
        last_error=None,
    )
)


@dataclass(frozen=True)
class Went:
    row_id: int
    token: str  # the claim that sent it
    message_id: str
    draft: Draft
    as_words: bool


def mark_sent(session: Session, now: datetime, went: list[Went]) -> set[int]:
    """The rows of `went` marked sent (with their engagement events and sent_message
    ids); the others had gone to another claim and are left as they are."""
    if not went:
        return set()
    by_row = {one.row_id: one for one in went}
    mine = select(
        col(OutboxMessage.id),
        col(OutboxMessage.claim_token),
        col(OutboxMessage.person_id),
        col(OutboxMessage.kind),
        col(OutboxMessage.slot),
        col(OutboxMessage.appointment_id),
    ).where(col(OutboxMessage.id).in_(by_row), col(OutboxMessage.status) == OutboxStatus.SENDING)
    if session.get_bind().dialect.name == "postgresql":
        mine = mine.with_for_update()
    rows = [row for row in session.execute(mine) if row[1] == by_row[row[0]].token]
    if not rows:
        return set()
    marks = [
        {"row": row_id, "token": token, "message": by_row[row_id].message_id, "at": now}
        for row_id, token, *_ in rows
    ]
    session.execute(_MARK, marks)
    events = [  # bot/services/engagement.py `record`, as mark_sent calls it: one INSERT
        {
            "person_id": person_id,
            "kind": "message_sent",
            "detail": {"kind": kind, "slot": slot, "outbox_id": row_id},
            "appointment_id": appointment_id,
            "at": now,
        }
        for row_id, _, person_id, kind, slot, appointment_id in rows
        if person_id is not None
    ]
    if events:
        session.execute(insert(EngagementEvent), events)
    _delivered(session, [by_row[row_id] for row_id, *_ in rows])
    return {row_id for row_id, *_ in rows}


def _delivered(session: Session, went: list[Went]) -> None:
    """sent.delivered, with the sent_message rows loaded in one query beforehand (and
    held here, so that it finds each in the session without a query a row)."""
    ids = [one.draft.sent_id for one in went if one.draft.sent_id is not None]
    if not ids:
        return
    held = {
        message.id: message
        for message in session.scalars(select(SentMessage).where(col(SentMessage.id).in_(ids)))
    }
    sent.delivered(
        session,
        [
            sent.Went(one.draft.sent_id, one.message_id, one.as_words)
            for one in went
            if one.draft.sent_id is not None and one.draft.sent_id in held
        ],
    )
