"""A person's coaching as their coach sees it on one page: goals with their steps and
check-in schedules, nudges, and the mood check-in schedule."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.models import Goal, GoalStep, Nudge, Person, Schedule, ScheduleKind, StepStatus
from bot.services import nudges, plans


@dataclass(frozen=True)
class GoalLine:
    goal: Goal
    steps: list[GoalStep]
    checkins: str | None  # the active check-in schedule, like "mon,thu 18:00"

    @property
    def done(self) -> int:
        return sum(1 for step in self.steps if step.status == StepStatus.DONE)


@dataclass(frozen=True)
class NudgeLine:
    nudge: Nudge
    every: str | None  # None: once, at nudge.at


@dataclass(frozen=True)
class CoachingPlan:
    goals: list[GoalLine]
    nudges: list[NudgeLine]
    mood_checks: str | None


def _active_specs(session: Session, person_id: int) -> list[Schedule]:
    query = select(Schedule).where(Schedule.person_id == person_id, col(Schedule.active))
    return list(session.exec(query).all())


def plan_of(session: Session, person: Person) -> CoachingPlan:
    assert person.id is not None
    active = _active_specs(session, person.id)
    checkins = {s.goal_id: s.spec for s in active if s.kind == ScheduleKind.CHECKIN}
    mood = next((s.spec for s in active if s.kind == ScheduleKind.MOOD), None)
    goals = [
        GoalLine(goal, steps, checkins.get(goal.id))
        for goal, steps in plans.list_for(session, person.ref)
    ]
    return CoachingPlan(
        goals=goals,
        nudges=[NudgeLine(n, every) for n, every in nudges.list_for(session, person.ref)],
        mood_checks=mood,
    )
