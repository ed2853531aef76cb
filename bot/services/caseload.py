"""A caseload at a glance: for each person their next appointment, when they last
answered, their open alerts, and whether a chat reaches them. One query per column, for
the whole list at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from bot.domain.clock import Clock
from bot.models import Alert, Appointment, AppointmentStatus, ChannelLink, EngagementEvent, Person

# Every message, command, button press or voice note a person sends is recorded as
# "in_<kind>" (bot/services/events.py): that is a reply, whatever it answered.
REPLY_PREFIX = "in_"
CHANNEL_NAMES = {"telegram": "Telegram", "webchat": "Web chat"}


@dataclass(frozen=True)
class CaseloadRow:
    person: Person
    next_appointment: datetime | None
    last_reply: datetime | None
    open_alerts: int
    channel: str | None  # "telegram", "webchat" or None: not linked
    unreachable_since: datetime | None

    @property
    def channel_name(self) -> str:
        if self.channel is None:
            return "Not linked"
        return CHANNEL_NAMES.get(self.channel, self.channel)


def _ids(people: Sequence[Person]) -> list[int]:
    return [p.id for p in people if p.id is not None]


def next_appointments(session: Session, clock: Clock, ids: list[int]) -> dict[int, datetime]:
    query = (
        select(Appointment.person_id, func.min(col(Appointment.starts_at)))
        .where(col(Appointment.person_id).in_(ids))
        .where(Appointment.status == AppointmentStatus.SCHEDULED)
        .where(col(Appointment.starts_at) > clock.now())
        .group_by(col(Appointment.person_id))
    )
    return {person_id: at for person_id, at in session.exec(query).all() if at is not None}


def last_replies(session: Session, ids: list[int]) -> dict[int, datetime]:
    query = (
        select(EngagementEvent.person_id, func.max(col(EngagementEvent.at)))
        .where(col(EngagementEvent.person_id).in_(ids))
        .where(col(EngagementEvent.kind).startswith(REPLY_PREFIX, autoescape=True))
        .group_by(col(EngagementEvent.person_id))
    )
    return {person_id: at for person_id, at in session.exec(query).all() if at is not None}


def open_alert_counts(session: Session, ids: list[int]) -> dict[int, int]:
    query = (
        select(Alert.person_id, func.count())
        .where(col(Alert.person_id).in_(ids))
        .where(col(Alert.acknowledged_at).is_(None))
        .group_by(col(Alert.person_id))
    )
    return {person_id: n for person_id, n in session.exec(query).all() if person_id is not None}


def links_of(session: Session, ids: list[int]) -> dict[int, ChannelLink]:
    """Each person's chat link (a person has at most one)."""
    query = select(ChannelLink).where(col(ChannelLink.person_id).in_(ids))
    return {link.person_id: link for link in session.exec(query).all() if link.person_id}


def link_of(session: Session, person_id: int) -> ChannelLink | None:
    return links_of(session, [person_id]).get(person_id)


def rows(session: Session, clock: Clock, people: Sequence[Person]) -> list[CaseloadRow]:
    ids = _ids(people)
    if not ids:
        return []
    upcoming = next_appointments(session, clock, ids)
    replies = last_replies(session, ids)
    alerts = open_alert_counts(session, ids)
    links = links_of(session, ids)
    result = []
    for person in people:
        assert person.id is not None
        link = links.get(person.id)
        result.append(
            CaseloadRow(
                person=person,
                next_appointment=upcoming.get(person.id),
                last_reply=replies.get(person.id),
                open_alerts=alerts.get(person.id, 0),
                channel=None if link is None else link.channel,
                unreachable_since=None if link is None else link.unreachable_at,
            )
        )
    return result
