"""The retention job's runs: when each started and finished and how many rows of each kind
it deleted or pseudonymised (the admin's dashboard shows the last). No personal data."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import JSON, Column, Field, SQLModel

from bot.storage.types import UTCDateTime


class RetentionRun(SQLModel, table=True):
    __tablename__ = "retention_run"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    # By rule name ("sent-words", "closed-cases", ...): rows deleted or pseudonymised.
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    via: str = Field(default="job", max_length=10)  # job (the daily run) or cli
