"""Invites: single-use codes that link a chat to a person or a coach.

A code carries 192 random bits (base64url, 32 characters); only its SHA-256 is stored,
which is enough for a secret that cannot be guessed (no slow hash is needed). A new
invite voids the old ones, a code expires after `invite_days`, and a chat that sends
wrong codes is throttled: after five failures in fifteen minutes it must wait. The short
pairing codes a coach reads out are invites too (bot/services/pairing.py); `redeem` takes
either.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlmodel import Session, col, func, select, update

from bot.domain.actor import Actor
from bot.domain.clock import Clock
from bot.models import ChannelLink, Invite, InviteKind, LinkAttempt
from bot.services import audit, pairing
from bot.services.people import coach_by_email, person_by_ref
from bot.settings import TelegramSettings
from bot.storage import UnitOfWork

CODE_BYTES = 24
CODE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
THROTTLE_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)


class LinkOutcome(StrEnum):
    LINKED_PERSON = "linked_person"
    LINKED_COACH = "linked_coach"
    ALREADY_LINKED = "already_linked"  # this chat belongs to someone else already
    INVALID = "invalid"  # unknown, used, voided, expired or malformed: all look the same
    THROTTLED = "throttled"


@dataclass(frozen=True)
class LinkResult:
    outcome: LinkOutcome
    person_id: int | None = None
    coach_id: int | None = None


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


def telegram_link(telegram: TelegramSettings, code: str) -> str | None:
    """The t.me link that carries the code, or None when Waymark runs without Telegram."""
    return deep_link(telegram.bot_username, code) if telegram.has_token else None


def webchat_link(public_url: str, code: str) -> str:
    return f"{public_url}/chat/join?code={code}"


def _new_invite(
    session: Session,
    clock: Clock,
    days: int,
    *,
    person_id: int | None = None,
    coach_id: int | None = None,
) -> str:
    now = clock.now()
    owner = Invite.person_id if person_id is not None else Invite.coach_id
    session.exec(
        update(Invite)
        .where(col(owner) == (person_id if person_id is not None else coach_id))
        .where(col(Invite.kind) == InviteKind.LINK.value)
        .where(col(Invite.used_at).is_(None))
        .where(col(Invite.voided_at).is_(None))
        .values(voided_at=now)
    )
    code = secrets.token_urlsafe(CODE_BYTES)
    session.add(
        Invite(
            code_hash=hash_code(code),
            created_at=now,
            expires_at=now + timedelta(days=days),
            person_id=person_id,
            coach_id=coach_id,
        )
    )
    return code


def invite_person(uow: UnitOfWork, clock: Clock, ref: str, days: int, *, actor: Actor) -> str:
    person = person_by_ref(uow.session, ref)
    assert person.id is not None
    code = _new_invite(uow.session, clock, days, person_id=person.id)
    audit.by(uow.session, clock, actor, "change", "invite", person_id=person.id)
    uow.flush()
    return code


def invite_coach(uow: UnitOfWork, clock: Clock, email: str, days: int) -> str:
    coach = coach_by_email(uow.session, email)
    assert coach.id is not None
    code = _new_invite(uow.session, clock, days, coach_id=coach.id)
    uow.flush()
    return code


def link_for_chat(session: Session, channel: str, chat_id: str) -> ChannelLink | None:
    return session.exec(
        select(ChannelLink).where(ChannelLink.channel == channel, ChannelLink.chat_id == chat_id)
    ).first()


def _throttled(session: Session, clock: Clock, channel: str, chat_id: str) -> bool:
    since = clock.now() - THROTTLE_WINDOW
    failures = session.exec(
        select(func.count())
        .select_from(LinkAttempt)
        .where(
            LinkAttempt.channel == channel,
            LinkAttempt.chat_id == chat_id,
            col(LinkAttempt.at) >= since,
        )
    ).one()
    return failures >= THROTTLE_FAILURES


def _usable_invite(session: Session, clock: Clock, code: str) -> Invite | None:
    digits = pairing.digits_of(code)
    if digits is not None:
        return pairing.find(session, clock, digits)
    if not CODE_SHAPE.match(code):
        return None
    invite = session.exec(
        select(Invite).where(
            Invite.code_hash == hash_code(code), Invite.kind == InviteKind.LINK.value
        )
    ).first()
    if invite is None or invite.used_at or invite.voided_at or invite.expires_at <= clock.now():
        return None
    return invite


def is_code(text: str) -> bool:
    """Whether typed words, without /start, are a pairing code (a link's code is only
    ever sent after /start)."""
    return pairing.digits_of(text) is not None


def redeem(uow: UnitOfWork, clock: Clock, channel: str, chat_id: str, code: str) -> LinkResult:
    """Link the chat to the invite's owner, once. The caller has checked that the chat
    is not linked yet. Every failure is recorded for throttling and committed."""
    session = uow.session
    if _throttled(session, clock, channel, chat_id):
        return LinkResult(LinkOutcome.THROTTLED)
    if pairing.digits_of(code) is not None and pairing.service_busy(session, clock):
        return LinkResult(LinkOutcome.THROTTLED)
    invite = _usable_invite(session, clock, code)
    if invite is None:
        session.add(LinkAttempt(channel=channel, chat_id=chat_id, at=clock.now()))
        uow.flush()
        return LinkResult(LinkOutcome.INVALID)
    now = clock.now()
    invite.used_at = now
    session.add(invite)
    session.flush()
    owner = ChannelLink.person_id if invite.person_id is not None else ChannelLink.coach_id
    owner_id = invite.person_id if invite.person_id is not None else invite.coach_id
    # Linked now: their other open code (a letter's link, a pairing code) must not move
    # the chat again later.
    session.exec(
        update(Invite)
        .where(
            col(Invite.person_id if invite.person_id is not None else Invite.coach_id) == owner_id
        )
        .where(col(Invite.used_at).is_(None))
        .where(col(Invite.voided_at).is_(None))
        .values(voided_at=now)
    )
    # The person (or coach) may have a new phone: their old chat stops getting messages.
    for old in session.exec(select(ChannelLink).where(owner == owner_id)).all():
        session.delete(old)
    session.flush()
    session.add(
        ChannelLink(
            channel=channel,
            chat_id=chat_id,
            person_id=invite.person_id,
            coach_id=invite.coach_id,
            linked_at=now,
        )
    )
    uow.flush()
    if invite.person_id is not None:
        return LinkResult(LinkOutcome.LINKED_PERSON, person_id=invite.person_id)
    return LinkResult(LinkOutcome.LINKED_COACH, coach_id=invite.coach_id)


def invite_owner_differs(session: Session, clock: Clock, code: str, link: ChannelLink) -> bool:
    """Whether a code sent from an already linked chat belongs to someone else."""
    invite = _usable_invite(session, clock, code)
    if invite is None:
        return False
    return (invite.person_id, invite.coach_id) != (link.person_id, link.coach_id)
