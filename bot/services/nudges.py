"""Nudges: a coach's one-off or recurring messages to a person."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select, update

from bot.domain.clock import Clock
from bot.domain.errors import Invalid, NotFound
from bot.models import Nudge, OutboxMessage, OutboxStatus, Schedule, ScheduleKind
from bot.services import outbox, schedules
from bot.services.people import person_by_ref
from bot.storage import UnitOfWork

MAX_TEXT = 400


def add(
    uow: UnitOfWork,
    clock: Clock,
    ref: str,
    *,
    text: str | None = None,
    content_key: str | None = None,
    at: datetime | None = None,
    every: str | None = None,
    known_keys: frozenset[str] = frozenset(),
) -> Nudge:
    """One of text or content_key, and one of at or every."""
    session = uow.session
    person = person_by_ref(session, ref)
    if (text is None) == (content_key is None):
        raise Invalid("give the nudge's words (--text) or a content key (--key), not both")
    if (at is None) == (every is None):
        raise Invalid("give a time (--at) or a schedule (--every), not both")
    if text is not None:
        text = " ".join(text.split())
        if not text or len(text) > MAX_TEXT:
            raise Invalid(f"a nudge needs words: 1 to {MAX_TEXT} characters")
    if content_key is not None and content_key not in known_keys:
        raise Invalid(f"{content_key!r} is not in the content library")
    if at is not None and at <= clock.now():
        raise Invalid("that time is in the past")
    assert person.id is not None
    nudge = Nudge(
        person_id=person.id, text=text, content_key=content_key, at=at, created_at=clock.now()
    )
    session.add(nudge)
    session.flush()
    if every is not None:
        schedules.add(session, clock, person.id, ScheduleKind.NUDGE, every, nudge_id=nudge.id)
    else:
        assert at is not None
        outbox.enqueue(
            session,
            key=f"nudge:{nudge.id}",
            kind="nudge",
            content_key="nudge",
            due_at=at,
            created_at=clock.now(),
            person_id=person.id,
            variables={"nudge_id": nudge.id},
        )
    uow.flush()
    return nudge


def get(session: Session, nudge_id: int) -> Nudge:
    nudge = session.get(Nudge, nudge_id)
    if nudge is None:
        raise NotFound(f"no nudge with the id {nudge_id}")
    return nudge


def stop(uow: UnitOfWork, nudge_id: int) -> Nudge:
    session = uow.session
    nudge = get(session, nudge_id)
    nudge.active = False
    session.add(nudge)
    for schedule in session.exec(select(Schedule).where(Schedule.nudge_id == nudge_id)).all():
        schedules.stop(session, schedule)
    session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.key) == f"nudge:{nudge_id}")
        .where(col(OutboxMessage.status) == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED)
    )
    uow.flush()
    return nudge


def list_for(session: Session, ref: str) -> list[tuple[Nudge, str | None]]:
    """The person's nudges with their schedule (None for one-off)."""
    person = person_by_ref(session, ref)
    rows = session.exec(
        select(Nudge).where(Nudge.person_id == person.id).order_by(col(Nudge.id))
    ).all()
    result = []
    for nudge in rows:
        schedule = session.exec(select(Schedule).where(Schedule.nudge_id == nudge.id)).first()
        result.append((nudge, schedule.spec if schedule else None))
    return result


def reply(uow: UnitOfWork, clock: Clock, ref: str, text: str) -> OutboxMessage:
    """The coach's answer to a relayed message: goes now, in the person's format."""
    session = uow.session
    person = person_by_ref(session, ref)
    text = " ".join(text.split())
    if not text or len(text) > MAX_TEXT:
        raise Invalid(f"a reply needs words: 1 to {MAX_TEXT} characters")
    now = clock.now()
    row = outbox.enqueue(
        session,
        key=f"reply:{person.id}:{now:%Y%m%dT%H%M%S%f}",
        kind="coach_reply",
        content_key="coach_reply",
        due_at=now,
        created_at=now,
        person_id=person.id,
        variables={"text": text},
    )
    uow.flush()
    return row
