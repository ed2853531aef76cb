"""Needs recorded from screening, as categories: what a coach noted, when and who. Not a
diagnosis. A need is never deleted, only marked removed, so reports can be reproduced."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Column, Field, SQLModel, String

from bot.storage.types import UTCDateTime


class NeedCategory(StrEnum):
    DYSLEXIA = "dyslexia"
    ADHD = "adhd"
    AUTISM = "autism"
    DCD = "dcd"  # developmental coordination disorder (dyspraxia)
    DYSCALCULIA = "dyscalculia"
    LEARNING_DISABILITY = "learning-disability"
    ACQUIRED_BRAIN_INJURY = "brain-injury"
    TICS = "tics"
    OTHER = "other"


NEED_LABELS: dict[NeedCategory, str] = {
    NeedCategory.DYSLEXIA: "Dyslexia",
    NeedCategory.ADHD: "ADHD",
    NeedCategory.AUTISM: "Autism",
    NeedCategory.DCD: "DCD (dyspraxia)",
    NeedCategory.DYSCALCULIA: "Dyscalculia",
    NeedCategory.LEARNING_DISABILITY: "Learning disability",
    NeedCategory.ACQUIRED_BRAIN_INJURY: "Acquired brain injury",
    NeedCategory.TICS: "Tics",
    NeedCategory.OTHER: "Other",
}


class Need(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    category: NeedCategory = Field(sa_type=String(20))
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    recorded_by: int = Field(foreign_key="coach.id")
    removed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
