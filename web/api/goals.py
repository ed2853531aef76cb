"""Goals and their small steps: the coaching itself, so for the person's coach only."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter
from pydantic import BaseModel

from bot.models import CoachingModel, Goal, GoalStatus, GoalStep, StepStatus
from bot.services import plans
from bot.services.access import Can, goal_for, person_for
from web.api.deps import Caller, note, viewed
from web.api.problems import conflict_of, refusals, refuse
from web.api.types import Day, GoalId, Input, RefPath, Text120, Text160
from web.deps import ClockDep, UowDep

router = APIRouter(tags=["goals"])


class GoalCreate(Input):
    title: Text120
    model: CoachingModel = CoachingModel.GROW  # grow or oscar: the questions the coach asks


class StepCreate(Input):
    text: Text160  # one small step, in the person's words
    due_on: Day | None = None


class StepPublic(BaseModel):
    id: int
    goal_id: int
    position: int  # 1 is the first step
    text: str
    due_on: date | None
    status: StepStatus
    done_at: datetime | None

    @classmethod
    def of(cls, step: GoalStep) -> StepPublic:
        assert step.id is not None
        return cls(
            id=step.id,
            goal_id=step.goal_id,
            position=step.position,
            text=step.text,
            due_on=step.due_on,
            status=step.status,
            done_at=step.done_at,
        )


class GoalPublic(BaseModel):
    id: int
    title: str
    model: CoachingModel
    status: GoalStatus
    created_at: datetime
    steps: list[StepPublic]

    @classmethod
    def of(cls, goal: Goal, steps: list[GoalStep]) -> GoalPublic:
        assert goal.id is not None
        return cls(
            id=goal.id,
            title=goal.title,
            model=goal.model,
            status=goal.status,
            created_at=goal.created_at,
            steps=[StepPublic.of(step) for step in steps],
        )


@router.get(
    "/people/{ref:path}/goals",
    summary="A person's goals with their steps",
    responses=refusals(403, 404, 422),
)
def list_goals(ref: RefPath, uow: UowDep, clock: ClockDep, account: Caller) -> list[GoalPublic]:
    person = person_for(uow.session, account, ref, Can.COACHING)
    found = plans.list_for(uow.session, person.ref)
    viewed(uow, clock, account, "goals", person.id)
    return [GoalPublic.of(goal, steps) for goal, steps in found]


@router.post(
    "/people/{ref:path}/goals",
    status_code=201,
    summary="Add a goal",
    description="Add its small steps next (POST /goals/{goal_id}/steps).",
    responses=refusals(403, 404, 422),
)
def add_goal(
    ref: RefPath, body: GoalCreate, uow: UowDep, clock: ClockDep, account: Caller
) -> GoalPublic:
    person = person_for(uow.session, account, ref, Can.EDIT)
    note(uow, clock, account, "change", "new goal", person.id)
    goal = plans.add_goal(uow, clock, person.ref, body.title, body.model.value)
    return GoalPublic.of(goal, [])


@router.post(
    "/goals/{goal_id}/steps",
    status_code=201,
    summary="Add a step to the end of a goal",
    description="A goal that is done or stopped takes no more steps (409).",
    responses=refusals(403, 404, 409, 422),
)
def add_step(
    goal_id: GoalId, body: StepCreate, uow: UowDep, clock: ClockDep, account: Caller
) -> StepPublic:
    goal = goal_for(uow.session, account, goal_id, Can.EDIT)
    if body.due_on is not None and body.due_on < clock.now().date():
        raise refuse("due_on", "that date is in the past")
    note(uow, clock, account, "change", f"goal {goal_id}: new step", goal.person_id)
    with conflict_of():
        step = plans.add_step(uow, clock, goal_id, body.text, body.due_on)
    return StepPublic.of(step)
