"""What was sent to whom (so "Read it to me" and "Show me" can send it again, and the
dashboard can show a timeline), and which files a channel already holds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import JSON, Column, Field, SQLModel, UniqueConstraint

from bot.storage.types import UTCDateTime


class SentMessage(SQLModel, table=True):
    """One message to a person: its content key and variables, not its words (the words
    can be made again, in any format, from these)."""

    __tablename__ = "sent_message"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    channel: str = Field(max_length=20)
    channel_message_id: str | None = Field(default=None, max_length=40)
    content_key: str = Field(max_length=60)
    variables: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    format: str = Field(max_length=10)  # the format it was sent in: words, pictures or voice
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))


class MediaFile(SQLModel, table=True):
    """A file a channel already holds: its id there, by the SHA-256 of the bytes, so the
    same card or voice note is sent by id instead of being uploaded again."""

    __tablename__ = "media_file"
    __table_args__ = (UniqueConstraint("channel", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=20)
    sha256: str = Field(max_length=64)
    file_id: str = Field(max_length=200)
    kind: str = Field(max_length=10)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
