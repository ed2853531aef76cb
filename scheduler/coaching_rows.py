"""What a check-in, mood check, nudge or coach's reply in the outbox says when it goes,
or why it does not go now.

A quieter day holds back check-ins, mood checks and library nudges (the coach's own words
and appointment reminders still go). A person in the middle of a conversation is never
cut in on: the row waits until the conversation has been quiet for CONVERSATION_PAUSE.
None of these is urgent, so in quiet hours they wait for the hours to end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.domain.planner import parse_quiet_from, quiet_window
from bot.flows import checkin, mood, snooze
from bot.flows.types import Say, StepView
from bot.models import ConversationState, Goal, Nudge, OutboxMessage, OutboxStatus, Person
from bot.services import plans
from bot.storage.rows import saved_id

KINDS = frozenset({"checkin", "mood", "nudge", "coach_reply"})
CONVERSATION_PAUSE = timedelta(minutes=10)


@dataclass(frozen=True)
class Hold:
    """Not now: closed with a status and reason, or (status PENDING) moved to `until`."""

    status: OutboxStatus
    reason: str
    until: datetime | None = None


def in_conversation(session: Session, person: Person, now: datetime) -> datetime | None:
    """When the person's conversation will count as over, if one is under way."""
    state = session.get(ConversationState, person.id)
    if state is None or not state.flow:
        return None
    ends = state.updated_at + CONVERSATION_PAUSE
    return ends if ends > now else None


def decide(
    session: Session, now: datetime, row: OutboxMessage, person: Person, coach_name: str
) -> Say | Hold:
    if row.kind == "coach_reply":
        return Say("coach_reply", {"coach": coach_name, "text": str(row.variables["text"])})
    nudge = session.get(Nudge, row.variables.get("nudge_id") or 0)
    if row.kind == "nudge" and (nudge is None or not nudge.active):
        return Hold(OutboxStatus.CANCELLED, "nudge stopped")
    own_words = nudge is not None and nudge.text is not None
    quiet_day = person.quiet_day_until is not None and person.quiet_day_until > now
    if quiet_day and not own_words:
        return Hold(OutboxStatus.SKIPPED, "a quieter day")
    ends = in_conversation(session, person, now)
    if ends is not None:
        return Hold(OutboxStatus.PENDING, "waiting for a conversation to end", ends)
    quiet = parse_quiet_from(person.quiet_from)
    window = quiet_window(now, quiet) if quiet is not None else None
    if window is not None:  # nothing here is urgent: it waits for the morning
        return Hold(OutboxStatus.PENDING, "waiting for quiet hours to end", window[1])
    if row.kind == "mood":
        return mood.ask()
    if row.kind == "checkin":
        return _checkin(session, row)
    if nudge is None:  # a nudge row's nudge was looked at above: this is no kind of KINDS
        return Hold(OutboxStatus.SKIPPED, f"not a coaching message: {row.kind}")
    buttons = (snooze.buttons(saved_id(row)),)
    if nudge.text is not None:
        return Say("nudge", {"text": nudge.text, "coach": coach_name}, buttons)
    return Say(str(nudge.content_key), {}, buttons)


def _checkin(session: Session, row: OutboxMessage) -> Say | Hold:
    goal = session.get(Goal, row.variables.get("goal_id") or 0)
    step = plans.current_step(session, goal.id) if goal and goal.id else None
    if goal is None or step is None or step.id is None:
        return Hold(OutboxStatus.SKIPPED, "the goal has no step left")
    return checkin.ask(StepView(step.id, goal.title, step.text))
