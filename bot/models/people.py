"""Accounts (coaches and the other staff), the people coaches support, and how their chats
are linked."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import field_validator
from sqlmodel import Column, Field, SQLModel, String, UniqueConstraint

from bot.domain.boroughs import canonical_borough
from bot.storage.types import UTCDateTime


class Format(StrEnum):
    WORDS = "words"
    PICTURES = "pictures"
    VOICE = "voice"


class ReminderPlan(StrEnum):
    RECOMMENDED = "recommended"
    FEWER = "fewer"


class Role(StrEnum):
    """What an account may see and do (bot/services/access.py holds the rules)."""

    COACH = "coach"  # their own caseload, in full
    STAFF = "staff"  # IOM staff: attendance and engagement of the people assigned to them
    MANAGER = "manager"  # every borough's aggregates
    ADMIN = "admin"  # accounts and the audit trail


class Consent(StrEnum):
    PENDING = "pending"
    GIVEN = "given"
    DECLINED = "declined"


class AccountBase(SQLModel):
    """An account: a coach, IOM staff, a manager or an admin (the table keeps its first
    name, `coach`, since coaches came first and every person row points at one)."""

    email: str = Field(max_length=254, index=True, unique=True)
    name: str = Field(max_length=120)
    role: Role = Field(default=Role.COACH, sa_type=String(10))


class AccountCreate(AccountBase):
    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip().lower()
        local_part, _, domain = value.partition("@")
        if not local_part or "." not in domain or " " in value:
            raise ValueError(f"{value!r} is not an email address")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("a name is needed")
        return value


class Account(AccountBase, table=True):
    __tablename__ = "coach"  # every person row points at one: the name stays

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str | None = Field(default=None, max_length=200)  # argon2id; None: no login
    active: bool = True
    session_epoch: int = 0  # raised to end every session of the account (logout, password)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # The second factor (bot/services/second_factor.py): a TOTP secret, on once confirmed.
    totp_secret: str | None = Field(default=None, max_length=64)  # a secret: never shown again
    totp_on_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    totp_last_step: int | None = None  # the last 30-second step used: a code works once
    demo_account: bool = False  # set only by the demo's seeding: no second factor, in the demo


class PersonBase(SQLModel):
    ref: str = Field(max_length=40, index=True, unique=True)
    preferred_name: str = Field(max_length=60)
    borough: str = Field(max_length=40)
    leads: str | None = Field(default=None, max_length=120)


class PersonCreate(PersonBase):
    coach_email: str

    @field_validator("ref")
    @classmethod
    def _ref(cls, value: str) -> str:
        value = value.strip().upper()
        if not value or not all(ch.isalnum() or ch in "-_/" for ch in value):
            raise ValueError("a case reference uses letters, digits, - _ and / only")
        return value

    @field_validator("preferred_name")
    @classmethod
    def _preferred_name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("a preferred name is needed")
        return value

    @field_validator("borough")
    @classmethod
    def _borough(cls, value: str) -> str:
        return canonical_borough(value)


class Person(PersonBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="coach.id", index=True)
    format: Format = Field(default=Format.WORDS, sa_type=String(10))
    easy_read: bool = True
    reminder_plan: ReminderPlan = Field(default=ReminderPlan.RECOMMENDED, sa_type=String(12))
    quiet_from: str | None = Field(default=None, max_length=5)
    language: str = Field(default="en", max_length=8)
    consent: Consent = Field(default=Consent.PENDING, sa_type=String(10))
    consent_version: str | None = Field(default=None, max_length=20)
    consent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    paused: bool = False
    discreet_previews: bool = True  # first lines tell a lock screen only the time and place
    quiet_day_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # The case's lifecycle (bot/services/closure.py, retention.py): closed when supervision
    # ends (read-only from then, the retention clock running), pseudonymised once the
    # closed case has passed its retention period.
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    pseudonymised_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class InviteKind(StrEnum):
    LINK = "link"  # a long code in a link or a QR code, valid for days
    PAIRING = "pairing"  # six digits a coach reads out, valid for minutes (bot/services/pairing.py)


class Invite(SQLModel, table=True):
    """A single-use code that links a chat to a person or a coach. Only its hash is kept."""

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    kind: str = Field(
        default=InviteKind.LINK.value,
        sa_column=Column(String(10), nullable=False, server_default=InviteKind.LINK.value),
    )
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    coach_id: int | None = Field(default=None, foreign_key="coach.id", index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    voided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class ChannelLink(SQLModel, table=True):
    """Which chat on which channel belongs to a person or a coach."""

    __tablename__ = "channel_link"

    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=20)
    chat_id: str = Field(max_length=40)
    person_id: int | None = Field(default=None, foreign_key="person.id", unique=True)
    coach_id: int | None = Field(default=None, foreign_key="coach.id", unique=True)
    linked_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    unreachable_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class LinkAttempt(SQLModel, table=True):
    """A failed code from a chat, kept to throttle guessing."""

    __tablename__ = "link_attempt"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=20)
    chat_id: str = Field(max_length=40, index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
