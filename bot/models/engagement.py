"""What people did (engagement events), what coaches must see (alerts), and where a
conversation stands (conversation state)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import JSON, Column, Field, Index, SQLModel

from bot.storage.types import UTCDateTime


class EngagementEvent(SQLModel, table=True):
    __tablename__ = "engagement_event"
    __table_args__ = (
        Index("ix_engagement_event_kind_at", "kind", "at"),  # for reports
        # Reports find an appointment's reminders and replies with one seek each.
        Index("ix_engagement_event_appointment_kind_at", "appointment_id", "kind", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(max_length=40)
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))


class Alert(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    coach_id: int = Field(foreign_key="coach.id", index=True)
    kind: str = Field(max_length=30)
    detail: str = Field(default="", max_length=300)
    urgent: bool = False
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    acknowledged_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    acknowledged_by: int | None = Field(default=None, foreign_key="coach.id")


class ConversationState(SQLModel, table=True):
    """Where a person is in a flow. Flows read and return it; they never store it."""

    __tablename__ = "conversation_state"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    flow: str = Field(default="", max_length=30)
    step: str = Field(default="", max_length=30)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
