"""Pairing codes: six digits a coach reads out, for someone who cannot open a link.

A pairing code is an invite of kind "pairing" (bot/models/people.py): it works once, for
fifteen minutes, and a new one voids the person's earlier pairing code. It is typed as
``/start 483 219`` or as the six digits alone, in Telegram or in the web chat.

Six digits are a million codes, not the 192 random bits of a link's code, so guessing is
held back three ways: a chat that sends five wrong codes in fifteen minutes must wait (as
for link codes, bot/services/invites.py); so must a web browser, by the key in its cookie
and by its address (the web chat makes a new chat for each try); and once the whole
service has seen `SERVICE_FAILURES` wrong codes in fifteen minutes, pairing codes are
refused for everyone until the window has passed (link codes still work). A guesser with
any number of chats and addresses then has at most 100 tries in an open code's fifteen
minutes: one chance in 10,000 for each open code.

Only a salted hash is kept: a 16-character salt, then the first 48 hex digits of
SHA-256(salt + digits), so the same six digits on another day is another row. Open pairing
codes are few (fifteen minutes each), so a code is found by checking each open one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select, update

from bot.domain.actor import Actor
from bot.domain.clock import Clock
from bot.domain.errors import Invalid
from bot.models import Invite, InviteKind, LinkAttempt, Person
from bot.services import audit

LIFETIME = timedelta(minutes=15)
WINDOW = timedelta(minutes=15)  # failures are counted over this long, as for link codes
CHAT_FAILURES = 5  # the same as a link code's (bot/services/invites.py)
# Higher than a chat's: an office or a hostel shares one address.
ADDRESS_FAILURES = 20
SERVICE_FAILURES = 100
ADDRESS = "address"  # link_attempt.channel of a browser address's failures (keyed)
BROWSER = "browser"  # and of a web browser's, by the random key in its join cookie
DIGITS = 6
SALT_CHARS = 16
# Six digits, in two threes or not, with a space, a hyphen or a dot between (as read out).
SHAPE = re.compile(r"^([0-9]{3})[ \-.]?([0-9]{3})$")


@dataclass(frozen=True)
class Pairing:
    code: str  # six digits, shown once
    expires_at: datetime

    @property
    def spoken(self) -> str:
        """As a coach reads it out: two groups of three."""
        return shown(self.code)


def shown(code: str) -> str:
    return f"{code[:3]} {code[3:]}"


def digits_of(text: str) -> str | None:
    """The six digits of a typed pairing code, or None when the text is not one."""
    found = SHAPE.match(" ".join(text.split()))
    return found.group(1) + found.group(2) if found else None


def _hash(salt: str, digits: str) -> str:
    return salt + hashlib.sha256((salt + digits).encode()).hexdigest()[:48]


def _matches(stored: str, digits: str) -> bool:
    return hmac.compare_digest(stored, _hash(stored[:SALT_CHARS], digits))


def _open(session: Session, clock: Clock) -> list[Invite]:
    return list(
        session.exec(
            select(Invite)
            .where(col(Invite.kind) == InviteKind.PAIRING.value)
            .where(col(Invite.used_at).is_(None))
            .where(col(Invite.voided_at).is_(None))
            .where(col(Invite.expires_at) > clock.now())
        ).all()
    )


def find(session: Session, clock: Clock, digits: str) -> Invite | None:
    """The open pairing code with these digits, if there is one."""
    return next((i for i in _open(session, clock) if _matches(i.code_hash, digits)), None)


def make(session: Session, clock: Clock, person: Person, *, actor: Actor) -> Pairing:
    """A new pairing code for `person`; their earlier pairing code stops working. The
    audit trail says who made it, in the same unit of work."""
    if person.id is None:
        raise Invalid("The person is not saved yet.")
    if person.closed_at is not None:
        raise Invalid("This case is closed: reopen it before pairing a chat.")
    now = clock.now()
    session.exec(
        update(Invite)
        .where(col(Invite.person_id) == person.id)
        .where(col(Invite.kind) == InviteKind.PAIRING.value)
        .where(col(Invite.used_at).is_(None))
        .where(col(Invite.voided_at).is_(None))
        .values(voided_at=now)
    )
    taken = [invite.code_hash for invite in _open(session, clock)]
    while True:  # two open codes never share their digits (a handful are open at most)
        digits = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
        if not any(_matches(stored, digits) for stored in taken):
            break
    expires = now + LIFETIME
    session.add(
        Invite(
            code_hash=_hash(secrets.token_hex(SALT_CHARS // 2), digits),
            kind=InviteKind.PAIRING.value,
            created_at=now,
            expires_at=expires,
            person_id=person.id,
        )
    )
    audit.by(session, clock, actor, "change", "pairing code", person_id=person.id)
    return Pairing(digits, expires)


def _failures(session: Session, clock: Clock, *conditions: ColumnElement[bool]) -> int:
    since = clock.now() - WINDOW
    query = select(func.count()).select_from(LinkAttempt).where(col(LinkAttempt.at) >= since)
    return int(session.exec(query.where(*conditions)).one())


def service_busy(session: Session, clock: Clock) -> bool:
    """Whether so many wrong codes came in lately that pairing codes are refused (each
    try counted once: by its chat, not again by its browser and address)."""
    counted = col(LinkAttempt.channel).not_in([ADDRESS, BROWSER])
    return _failures(session, clock, counted) >= SERVICE_FAILURES


def address_key(secret: str, address: str) -> str:
    """A browser's address as it is kept: keyed, so the address cannot be read back."""
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()[:40]


def _of(session: Session, clock: Clock, channel: str, key: str) -> int:
    return _failures(
        session, clock, col(LinkAttempt.channel) == channel, col(LinkAttempt.chat_id) == key
    )


def join_throttled(session: Session, clock: Clock, browser: str, address: str | None) -> bool:
    """Whether a web browser has tried too many wrong codes: by its cookie's key, or by
    its address (a browser that drops its cookie, or many behind one address)."""
    if _of(session, clock, BROWSER, browser) >= CHAT_FAILURES:
        return True
    return address is not None and _of(session, clock, ADDRESS, address) >= ADDRESS_FAILURES


def join_failed(session: Session, clock: Clock, browser: str, address: str | None) -> None:
    now = clock.now()
    session.add(LinkAttempt(channel=BROWSER, chat_id=browser, at=now))
    if address is not None:
        session.add(LinkAttempt(channel=ADDRESS, chat_id=address, at=now))
