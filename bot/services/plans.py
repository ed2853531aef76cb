"""Goals and their steps, and the check-in schedule of each goal."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, func, select

from bot.domain.clock import Clock
from bot.domain.errors import Invalid, NotFound
from bot.models import Goal, GoalStatus, GoalStep, Schedule, ScheduleKind, StepStatus
from bot.models.plans import CoachingModel
from bot.services import schedules
from bot.services.people import person_by_ref
from bot.storage import UnitOfWork


def goal(session: Session, goal_id: int) -> Goal:
    found = session.get(Goal, goal_id)
    if found is None:
        raise NotFound(f"no goal with the id {goal_id}")
    return found


def add_goal(uow: UnitOfWork, clock: Clock, ref: str, title: str, model: str) -> Goal:
    person = person_by_ref(uow.session, ref)
    title = " ".join(title.split())
    if not title or len(title) > 120:
        raise Invalid("a goal needs a title of 1 to 120 characters")
    try:
        coaching = CoachingModel(model.strip().lower())
    except ValueError:
        raise Invalid(f"{model!r} is not a coaching model; use grow or oscar") from None
    assert person.id is not None
    new = Goal(person_id=person.id, title=title, model=coaching, created_at=clock.now())
    uow.session.add(new)
    uow.flush()
    return new


def add_step(uow: UnitOfWork, clock: Clock, goal_id: int, text: str, due: date | None) -> GoalStep:
    session = uow.session
    found = goal(session, goal_id)
    text = " ".join(text.split())
    if not text or len(text) > 160:
        raise Invalid("a step needs words: 1 to 160 characters")
    if found.status != GoalStatus.ACTIVE:
        raise Invalid(f"goal {goal_id} is {found.status}")
    if due is not None and due < clock.now().date():
        raise Invalid("that date is in the past")
    last = session.exec(
        select(func.max(GoalStep.position)).where(GoalStep.goal_id == goal_id)
    ).one()
    step = GoalStep(goal_id=goal_id, position=(last or 0) + 1, text=text, due_on=due)
    session.add(step)
    uow.flush()
    return step


def steps(session: Session, goal_id: int) -> list[GoalStep]:
    return list(
        session.exec(
            select(GoalStep).where(GoalStep.goal_id == goal_id).order_by(col(GoalStep.position))
        ).all()
    )


def current_step(session: Session, goal_id: int) -> GoalStep | None:
    return next((s for s in steps(session, goal_id) if s.status == StepStatus.TODO), None)


def goals_of(session: Session, person_id: int) -> list[Goal]:
    return list(
        session.exec(select(Goal).where(Goal.person_id == person_id).order_by(col(Goal.id))).all()
    )


def list_for(session: Session, ref: str) -> list[tuple[Goal, list[GoalStep]]]:
    person = person_by_ref(session, ref)
    assert person.id is not None
    return [(g, steps(session, g.id)) for g in goals_of(session, person.id) if g.id is not None]


def set_checkins(uow: UnitOfWork, clock: Clock, goal_id: int, spec: str) -> Schedule:
    """Check in on the goal's current step at these times (replacing any earlier ones)."""
    session = uow.session
    found = goal(session, goal_id)
    if current_step(session, goal_id) is None:
        raise Invalid(f"goal {goal_id} has no step to check in on; add one with 'goal step'")
    for old in session.exec(
        select(Schedule).where(Schedule.goal_id == goal_id, col(Schedule.active))
    ).all():
        schedules.stop(session, old)
    schedule = schedules.add(
        session, clock, found.person_id, ScheduleKind.CHECKIN, spec, goal_id=goal_id
    )
    uow.flush()
    return schedule


def finish_step(session: Session, clock: Clock, step: GoalStep) -> GoalStep | None:
    """Mark a step done; return the next one, or None (the goal is then done)."""
    step.status, step.done_at = StepStatus.DONE, clock.now()
    session.add(step)
    session.flush()
    following = current_step(session, step.goal_id)
    if following is None:
        found = goal(session, step.goal_id)
        found.status = GoalStatus.DONE
        session.add(found)
        for schedule in session.exec(
            select(Schedule).where(Schedule.goal_id == step.goal_id, col(Schedule.active))
        ).all():
            schedules.stop(session, schedule)
    return following
