"""Appointments a person must attend, and what became of them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Column, Field, SQLModel, String

from bot.storage.types import UTCDateTime


class AppointmentKind(StrEnum):
    PROBATION = "probation"
    POLICE = "police"
    GP = "gp"
    JOBCENTRE = "jobcentre"
    COURT = "court"
    COACHING = "coaching"
    OTHER = "other"


class AppointmentStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    ATTENDED = "attended"
    MISSED = "missed"
    RESCHEDULED = "rescheduled"


class Confirmation(StrEnum):
    COMING = "coming"
    LATE = "late"
    CANT_COME = "cant_come"


class AppointmentBase(SQLModel):
    place: str = Field(max_length=200)
    with_whom: str = Field(max_length=120)
    kind: AppointmentKind = Field(default=AppointmentKind.PROBATION, sa_type=String(12))
    leads: str | None = Field(default=None, max_length=120)
    # How to get there, from the coach: words ("Bus 36 to Camberwell Green") and where the
    # place is, so "How do I get there" can send a pin the phone's maps open.
    travel_note: str | None = Field(default=None, max_length=200)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class Appointment(AppointmentBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    starts_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    status: AppointmentStatus = Field(default=AppointmentStatus.SCHEDULED, sa_type=String(10))
    revision: int = 1
    confirmation: Confirmation | None = Field(default=None, sa_type=String(10))
    confirmed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    outcome: Outcome | None = Field(default=None, sa_type=String(12))
    outcome_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
