"""Closing a case when supervision ends, and reopening it within its retention period.

Closing: every message waiting for the person stops (their schedules and nudges with it),
a short kind goodbye with signposting goes to their chat, the chat's link ends (so their
chat learns nothing more, and a message from it is answered as from any unlinked chat),
open invites are voided, the record becomes read-only (bot/services/read_only.py) and the
retention clock starts: `closed_at`. The goodbye is two outbox rows that carry the chat
they go to, since the link they would have gone by has ended (scheduler/preparing.py
reads it with `destination`).

Reopening clears `closed_at`, while the retention period runs and the case has not been
pseudonymised. Nothing else comes back: the coach invites the person again and sets
their nudges and check-ins again.

Services never commit: the entry point (a command, a page) commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, delete, select, update

from bot.domain.clock import Clock
from bot.domain.errors import Invalid
from bot.models import (
    ChannelLink,
    ConversationState,
    Invite,
    Nudge,
    OutboxMessage,
    OutboxStatus,
    Person,
    Schedule,
)
from bot.services import audit, outbox, read_only, schedules

GOODBYE = "goodbye"  # the outbox kind of the goodbye rows
TO_CHANNEL = "to_channel"  # the variables of a goodbye row that say where it goes
TO_CHAT = "to_chat"
DESTINATION = (TO_CHANNEL, TO_CHAT)


@dataclass(frozen=True)
class Closed:
    person_id: int
    closed_at: datetime
    stopped: int  # messages that were waiting and will not go
    goodbye: bool  # a goodbye goes to their chat (False: they were not linked)


def retention_ends(person: Person, days: int) -> datetime | None:
    """When a closed case's retention period ends (None while it is open)."""
    return None if person.closed_at is None else person.closed_at + timedelta(days=days)


def close(
    session: Session, clock: Clock, person: Person, *, account_id: int | None, via: str
) -> Closed:
    if person.closed_at is not None:
        raise Invalid("This case is closed already.")
    assert person.id is not None
    read_only.lift(session)
    now = clock.now()
    stopped = _stop_messages(session, person.id)
    link = session.exec(select(ChannelLink).where(ChannelLink.person_id == person.id)).first()
    if link is not None:
        _goodbye(session, now, person.id, link)
        session.delete(link)
    session.exec(
        update(Invite)
        .where(col(Invite.person_id) == person.id)
        .where(col(Invite.used_at).is_(None))
        .where(col(Invite.voided_at).is_(None))
        .values(voided_at=now)
    )
    session.exec(delete(ConversationState).where(col(ConversationState.person_id) == person.id))
    person.closed_at = now
    session.add(person)
    audit.record(session, clock, account_id, "close", "case", person_id=person.id, via=via)
    return Closed(person.id, now, stopped, goodbye=link is not None)


def reopen(
    session: Session,
    clock: Clock,
    person: Person,
    *,
    retention_days: int,
    account_id: int | None,
    via: str,
) -> Person:
    ends = retention_ends(person, retention_days)
    if ends is None:
        raise Invalid("This case is open already.")
    if person.pseudonymised_at is not None or clock.now() >= ends:
        raise Invalid(
            "This case passed its retention period, so it cannot be reopened. "
            "Add the person again as a new case."
        )
    read_only.lift(session)
    person.closed_at = None
    session.add(person)
    audit.record(session, clock, account_id, "reopen", "case", person_id=person.id, via=via)
    return person


def destination(row: OutboxMessage) -> ChannelLink | None:
    """Where a goodbye row goes: the chat it names (its person's link has ended). A link
    made for the send alone, never saved."""
    variables = row.variables
    if row.kind != GOODBYE or not variables.get(TO_CHANNEL) or not variables.get(TO_CHAT):
        return None
    return ChannelLink(
        channel=str(variables[TO_CHANNEL]),
        chat_id=str(variables[TO_CHAT]),
        person_id=row.person_id,
        linked_at=row.created_at,
    )


def without_destination(variables: dict[str, Any]) -> dict[str, Any]:
    """A row's variables without the chat it goes to: what the message is made from."""
    return {name: value for name, value in variables.items() if name not in DESTINATION}


def _stop_messages(session: Session, person_id: int) -> int:
    """Every waiting message is cancelled, and the schedules and nudges that would plan
    more are stopped; how many messages were waiting."""
    stopped = session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.person_id) == person_id)
        .where(col(OutboxMessage.status) == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED, last_error="case closed")
    )
    for schedule in session.exec(
        select(Schedule).where(Schedule.person_id == person_id).where(col(Schedule.active))
    ).all():
        schedules.stop(session, schedule)
    session.exec(
        update(Nudge)
        .where(col(Nudge.person_id) == person_id)
        .where(col(Nudge.active))
        .values(active=False)
    )
    return int(stopped.rowcount)


def _goodbye(session: Session, now: datetime, person_id: int, link: ChannelLink) -> None:
    """The goodbye, then the signposting a second later, both to the chat of the link."""
    where = {TO_CHANNEL: link.channel, TO_CHAT: link.chat_id}
    stamp = f"{now:%Y%m%dT%H%M%S}"
    outbox.enqueue(
        session,
        key=f"goodbye:{person_id}:{stamp}",
        kind=GOODBYE,
        content_key="goodbye",
        due_at=now,
        created_at=now,
        person_id=person_id,
        variables=where,
    )
    outbox.enqueue(
        session,
        key=f"goodbye:{person_id}:{stamp}:help",
        kind=GOODBYE,
        content_key="signposting",
        due_at=now + timedelta(seconds=1),
        created_at=now,
        person_id=person_id,
        variables=where,
    )
