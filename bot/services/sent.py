"""What was sent to a person, kept by content key and variables (never the words), so
"Read it to me" and "Show me" can make it again in another format, and the dashboard
can show a timeline later."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.domain.clock import Clock
from bot.flows.types import Say
from bot.models import SentMessage
from bot.rendering.renderer import WORDS


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


@dataclass(frozen=True)
class Went:
    """A recorded message that went: its row, the channel's id for it, and whether its
    voice note or card could not be made, so that its words went instead."""

    sent_id: int
    message_id: str
    as_words: bool = False


def delivered(session: Session, went: list[Went]) -> None:
    """Note the channel's message id of each message that went, and the format it really
    went in: a voice note that could not be made is recorded as words, never as voice."""
    for one in went:
        row = session.get(SentMessage, one.sent_id)
        if row is not None:
            row.channel_message_id = one.message_id[:40]
            if one.as_words:
                row.format = WORDS
            session.add(row)


def for_person(session: Session, person_id: int, sent_id: int) -> SentMessage | None:
    """The row, if it is this person's (a forged or stale button finds nothing)."""
    row = session.get(SentMessage, sent_id)
    return row if row is not None and row.person_id == person_id else None
