"""The consent history (every consent a person gave, declined or withdrew, with when and
how) and the person's communication passport ("About me"), one row per version."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import JSON, Column, Field, Index, SQLModel, String

from bot.storage.types import UTCDateTime


class Purpose(StrEnum):
    """What a consent is for."""

    SERVICE = "service"  # Waymark itself: messages, reminders, check-ins
    PASSPORT = "passport"  # showing their "About me" to the IOM staff assigned to them
    EVALUATION = "evaluation"  # counting them in the evaluation's reports and export


class Decision(StrEnum):
    GIVEN = "given"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Via(StrEnum):
    BOT = "bot"  # the person, in the chat
    DASHBOARD = "dashboard"  # their coach, on the person's page, as the person said
    CLI = "cli"  # the command line


class ConsentEvent(SQLModel, table=True):
    """One consent given, declined or withdrawn. Rows are only ever added: the history
    is never changed, and the newest row for a purpose is what stands."""

    __tablename__ = "consent_event"
    __table_args__ = (Index("ix_consent_event_person_purpose", "person_id", "purpose", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    purpose: Purpose = Field(sa_type=String(12))
    decision: Decision = Field(sa_type=String(10))
    via: Via = Field(sa_type=String(10))
    account_id: int | None = Field(default=None, foreign_key="coach.id")  # None: the person
    wording_version: str | None = Field(default=None, max_length=20)  # the words they saw
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class PassportVersion(SQLModel, table=True):
    """One version of a person's "About me". A change adds a version; none is changed."""

    __tablename__ = "passport_version"
    __table_args__ = (Index("ix_passport_version_person_id", "person_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    # Their answers by topic (bot/services/passport.py TOPICS): chosen codes, and their own
    # words where they wrote some.
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    words: str = Field(default="", max_length=500)  # anything else, in their words
    voice_id: str | None = Field(default=None, max_length=200)  # a voice note they sent
    via: Via = Field(sa_type=String(10))
    account_id: int | None = Field(default=None, foreign_key="coach.id")  # the coach with them
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
