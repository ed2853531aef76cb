"""What accounts need beyond the `coach` row: failed logins (to throttle guessing), API
tokens, which people an IOM staff member manages, and the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Column, Field, SQLModel, UniqueConstraint

from bot.storage.types import UTCDateTime


class LoginAttempt(SQLModel, table=True):
    """A failed login, kept for a while to throttle guessing (by email and by address)."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client: str = Field(max_length=64, index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))


class RecoveryCode(SQLModel, table=True):
    """One of an account's ten single-use codes for when the phone is lost: only the code's
    SHA-256 is kept (the codes are random, so a slow hash adds nothing)."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="coach.id", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class ApiToken(SQLModel, table=True):
    """A per-account token for /api/v1. Only its SHA-256 is kept; the account's role applies."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="coach.id", index=True)
    name: str = Field(max_length=60)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class StaffAssignment(SQLModel, table=True):
    """An IOM staff member manages this person: they see the person's attendance and
    engagement, never the coaching itself."""

    __tablename__ = "staff_assignment"
    __table_args__ = (UniqueConstraint("account_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="coach.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class AuditEntry(SQLModel, table=True):
    """Who viewed or changed what, and when. Written in the same unit of work as the
    change, so a change without its entry cannot be committed. Never holds the data."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    account_id: int | None = Field(default=None, foreign_key="coach.id", index=True)
    action: str = Field(max_length=20)  # view, change, export, login, login-failed ...
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    subject: str = Field(max_length=80)  # what: "person", "appointment 42", "report need"
    via: str = Field(default="web", max_length=10)  # web, api, cli
