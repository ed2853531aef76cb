"""The web chat's messages, both ways, and the files it shows. The database holds them
so a page opened later, or served by another worker, shows the same conversation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import JSON, Column, Field, LargeBinary, SQLModel

from bot.storage.types import UTCDateTime


class WebchatMessage(SQLModel, table=True):
    __tablename__ = "webchat_message"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: str = Field(max_length=40, index=True)
    from_person: bool = False  # what the person typed or pressed, as it shows in the chat
    text: str = Field(default="", max_length=4096)
    caption: str | None = Field(default=None, max_length=1024)
    buttons: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    media_sha256: str | None = Field(default=None, max_length=64)
    media_kind: str | None = Field(default=None, max_length=10)
    silent: bool = False
    closed: bool = False  # its buttons were taken off
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class WebchatFile(SQLModel, table=True):
    """A picture card, voice note or calendar file sent in the web chat, by content hash."""

    __tablename__ = "webchat_file"

    sha256: str = Field(max_length=64, primary_key=True)
    mime_type: str = Field(max_length=60)
    filename: str = Field(max_length=120)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
