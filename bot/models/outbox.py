"""The outbox: every message the bot will send on its own, as a row with a unique key."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import JSON, Column, Field, Index, SQLModel, String

from bot.storage.types import UTCDateTime


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a dispatcher (claim_token) until claimed_until
    SENT = "sent"
    FAILED = "failed"
    STALE = "stale"  # its moment passed (the appointment started) before it could go
    CANCELLED = "cancelled"
    SKIPPED = "skipped"  # nobody to send it to: not linked, paused or no consent


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True)
    kind: str = Field(max_length=30)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    coach_id: int | None = Field(default=None, foreign_key="coach.id")
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id", index=True)
    slot: str | None = Field(default=None, max_length=30)
    content_key: str = Field(max_length=60)
    variables: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    silent: bool = False
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=String(10))
    attempts: int = 0
    claimed_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    # The claim that last took the row: every write after a send names it, so a worker
    # whose claim was taken over changes nothing (scheduler/dispatcher.py).
    claim_token: str | None = Field(default=None, max_length=32)
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    channel_message_id: str | None = Field(default=None, max_length=40)
    last_error: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
