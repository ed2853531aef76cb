"""Action plans and the coaching between appointments: goals with their small steps,
nudges, and the schedules that plan check-ins, mood checks and nudges into the outbox."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlmodel import JSON, Column, Field, SQLModel, String

from bot.storage.types import UTCDateTime


class CoachingModel(StrEnum):
    GROW = "grow"  # goal, reality, options, way forward
    OSCAR = "oscar"  # outcome, situation, choices and consequences, actions, review


class GoalStatus(StrEnum):
    ACTIVE = "active"
    DONE = "done"
    STOPPED = "stopped"


class StepStatus(StrEnum):
    TODO = "todo"
    DONE = "done"


class ScheduleKind(StrEnum):
    CHECKIN = "checkin"
    MOOD = "mood"
    NUDGE = "nudge"


class Goal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    title: str = Field(max_length=120)
    model: CoachingModel = Field(default=CoachingModel.GROW, sa_type=String(8))
    scaffold: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: GoalStatus = Field(default=GoalStatus.ACTIVE, sa_type=String(8))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class GoalStep(SQLModel, table=True):
    __tablename__ = "goal_step"

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    position: int
    text: str = Field(max_length=160)
    due_on: date | None = None
    status: StepStatus = Field(default=StepStatus.TODO, sa_type=String(6))
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Nudge(SQLModel, table=True):
    """A coach's message: their own words, or an item of the content library."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    text: str | None = Field(default=None, max_length=400)
    content_key: str | None = Field(default=None, max_length=60)
    at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    active: bool = True
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Schedule(SQLModel, table=True):
    """When something recurs ('weekdays 08:30'): the planner writes each time to the
    outbox a day ahead. The schedule is the truth; APScheduler only computes times."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: ScheduleKind = Field(sa_type=String(8))
    spec: str = Field(max_length=60)
    goal_id: int | None = Field(default=None, foreign_key="goal.id")
    nudge_id: int | None = Field(default=None, foreign_key="nudge.id")
    active: bool = True
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
