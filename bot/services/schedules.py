"""Schedules: recurring check-ins, mood checks and nudges, planned into the outbox.

The planner writes every time a schedule fires in the next day and a half as an outbox
row keyed by (schedule, time), so planning again is harmless and a restart loses nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select, update

from bot.domain.actor import Actor
from bot.domain.clock import Clock
from bot.domain.errors import Invalid
from bot.domain.recurrence import ScheduleError, check_fires, next_times, parse_every
from bot.models import OutboxMessage, OutboxStatus, Schedule, ScheduleKind
from bot.services import audit, outbox
from bot.services.people import person_by_ref
from bot.storage import UnitOfWork

HORIZON = timedelta(hours=36)
CONTENT = {ScheduleKind.CHECKIN: "checkin_ask", ScheduleKind.MOOD: "mood_ask"}


def add(
    session: Session,
    clock: Clock,
    person_id: int,
    kind: ScheduleKind,
    spec: str,
    *,
    goal_id: int | None = None,
    nudge_id: int | None = None,
) -> Schedule:
    try:
        check_fires(parse_every(spec), clock.now())
    except ScheduleError as error:
        raise Invalid(str(error)) from None
    schedule = Schedule(
        person_id=person_id,
        kind=kind,
        spec=" ".join(spec.lower().split()),
        goal_id=goal_id,
        nudge_id=nudge_id,
        created_at=clock.now(),
    )
    session.add(schedule)
    session.flush()
    plan(session, clock, schedule)
    return schedule


def stop(session: Session, schedule: Schedule) -> None:
    schedule.active = False
    session.add(schedule)
    session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.key).startswith(f"sched:{schedule.id}@"))
        .where(col(OutboxMessage.status) == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED)
    )


def plan(session: Session, clock: Clock, schedule: Schedule) -> int:
    """Write the schedule's times in the next HORIZON to the outbox; return how many."""
    now = clock.now()
    # From a second ago: a time that falls due at this very moment is planned too.
    times = next_times(parse_every(schedule.spec), now - timedelta(seconds=1), now + HORIZON)
    for due in times:
        outbox.enqueue(
            session,
            key=f"sched:{schedule.id}@{due:%Y%m%dT%H%M}",
            kind=schedule.kind,
            content_key=CONTENT.get(schedule.kind, "nudge"),
            due_at=due,
            created_at=now,
            person_id=schedule.person_id,
            variables={"goal_id": schedule.goal_id, "nudge_id": schedule.nudge_id},
        )
    return len(times)


def plan_all(session: Session, clock: Clock) -> int:
    active = session.exec(select(Schedule).where(col(Schedule.active))).all()
    return sum(plan(session, clock, schedule) for schedule in active)


def set_mood_checks(
    uow: UnitOfWork, clock: Clock, ref: str, spec: str | None, *, actor: Actor
) -> Schedule | None:
    """Ask the person's mood on a schedule, replacing any earlier one; None stops it."""
    session = uow.session
    person = person_by_ref(session, ref)
    assert person.id is not None
    for old in session.exec(
        select(Schedule).where(
            Schedule.person_id == person.id,
            Schedule.kind == ScheduleKind.MOOD,
            col(Schedule.active),
        )
    ).all():
        stop(session, old)
    schedule = None if spec is None else add(session, clock, person.id, ScheduleKind.MOOD, spec)
    audit.by(session, clock, actor, "change", "mood checks", person_id=person.id)
    uow.flush()
    return schedule
