"""Content items changed in the dashboard. The files in content/ are the base; the newest
edit of an item (by key and language) is laid over them. Every edit is kept."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import JSON, Column, Field, SQLModel

from bot.storage.types import UTCDateTime


class ContentEdit(SQLModel, table=True):
    __tablename__ = "content_edit"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=60, index=True)
    language: str = Field(default="en", max_length=8)
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    edited_by: int = Field(foreign_key="coach.id")
    edited_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
