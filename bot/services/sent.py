"""What was sent to a person, kept by content key and variables (never the words), so
"Read it to me" and "Show me" can make it again in another format, and the dashboard
can show a timeline later."""

from __future__ import annotations

from sqlmodel import Session

from bot.domain.clock import Clock
from bot.flows.types import Say
from bot.models import SentMessage


def record(
    session: Session, clock: Clock, person_id: int, channel: str, say: Say, format_: str
) -> int:
    """A row for a message about to go; its id goes into the message's buttons."""
    row = SentMessage(
        person_id=person_id,
        channel=channel,
        content_key=say.key,
        variables=dict(say.variables),
        format=format_,
        appointment_id=say.calendar.id if say.calendar is not None else None,
        at=clock.now(),
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def delivered(session: Session, pairs: list[tuple[int, str]]) -> None:
    """Note the channel's message id of each (sent id, message id) that went."""
    for sent_id, message_id in pairs:
        row = session.get(SentMessage, sent_id)
        if row is not None:
            row.channel_message_id = message_id[:40]
            session.add(row)


def for_person(session: Session, person_id: int, sent_id: int) -> SentMessage | None:
    """The row, if it is this person's (a forged or stale button finds nothing)."""
    row = session.get(SentMessage, sent_id)
    return row if row is not None and row.person_id == person_id else None
