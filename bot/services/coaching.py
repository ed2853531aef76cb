"""What the coaching flows decide, recorded: check-in answers, a quieter day, a snoozed
nudge, and a message sent on to the coach."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import Session

from bot.domain.clock import Clock
from bot.domain.localtime import at_local, local
from bot.domain.planner import parse_quiet_from, quiet_window
from bot.models import GoalStep, OutboxMessage, Person
from bot.services import engagement, outbox, plans

QUIET_DAY = timedelta(hours=24)
EVENING = time(19, 0)
MORNING = time(8, 0)
SNOOZABLE = {"nudge", "checkin", "mood"}
SNOOZED = "~snooze@"


def answer_step(session: Session, clock: Clock, person: Person, step_id: int, answer: str) -> None:
    assert person.id is not None
    step = session.get(GoalStep, step_id)
    if step is None:
        return
    engagement.record(
        session,
        clock,
        person.id,
        "checkin",
        {"step_id": step_id, "goal_id": step.goal_id, "answer": answer},
    )
    if answer == "done":
        plans.finish_step(session, clock, step)


def start_quiet_day(session: Session, clock: Clock, person: Person) -> None:
    assert person.id is not None
    person.quiet_day_until = clock.now() + QUIET_DAY
    session.add(person)
    engagement.record(session, clock, person.id, "quiet_day")


def snooze_until(now: datetime, choice: str, quiet_from: str | None) -> datetime:
    """1 hour, this evening (19:00, or an hour from now if that has passed) or tomorrow
    morning at 08:00, moved to the end of quiet hours if it lands inside them."""
    here = local(now)
    if choice == "hour":
        due = now + timedelta(hours=1)
    elif choice == "evening":
        evening = at_local(here.date(), EVENING)
        due = evening if evening > now else now + timedelta(hours=1)
    else:
        due = at_local(here.date() + timedelta(days=1), MORNING)
    quiet = parse_quiet_from(quiet_from)
    window = quiet_window(due, quiet) if quiet else None
    return window[1] if window else due


def snooze(session: Session, clock: Clock, person: Person, outbox_id: int, choice: str) -> bool:
    """Write the message again for later; False when it is not theirs to snooze."""
    assert person.id is not None
    row = session.get(OutboxMessage, outbox_id)
    if row is None or row.person_id != person.id or row.kind not in SNOOZABLE:
        return False
    due = snooze_until(clock.now(), choice, person.quiet_from)
    outbox.enqueue(
        session,
        key=snooze_key(row.key, due),
        kind=row.kind,
        content_key=row.content_key,
        due_at=due,
        created_at=clock.now(),
        variables=dict(row.variables),
        person_id=person.id,
    )
    engagement.record(
        session, clock, person.id, "snooze", {"outbox_id": outbox_id, "choice": choice}
    )
    return True


def snooze_key(key: str, due: datetime) -> str:
    """The first message's key and the new time: a snooze of a snooze replaces the time
    rather than adding another, so a chain of snoozes never outgrows the key column."""
    first, _, _ = key.partition(SNOOZED)
    return f"{first}{SNOOZED}{due:%Y%m%dT%H%M}"


def relay(session: Session, clock: Clock, person: Person, text: str, media_id: str) -> None:
    """Words reach the coach in the alert itself (its detail); a voice note follows it to
    the coach's own chat, with the reference only."""
    assert person.id is not None
    engagement.record(session, clock, person.id, "relayed", {"voice": bool(media_id)})
    if not media_id:
        return
    now = clock.now()
    outbox.enqueue(
        session,
        key=f"relay:{person.id}:{now:%Y%m%dT%H%M%S%f}",
        kind="relay",
        content_key="coach_relay",
        due_at=now,
        created_at=now,
        coach_id=person.coach_id,
        variables={"ref": person.ref, "media_id": media_id},
    )
