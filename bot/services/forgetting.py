"""Taking a person's rows out of the database, table by table, for erasure (everything)
and pseudonymisation (the words and the links, not the counts). Each function deletes
with one statement per table and says how many rows went. Nothing here commits.

The order matters where rows point at each other: messages and events before the
appointments they name, schedules before the goals and nudges they plan.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Delete, exists
from sqlmodel import Session, col, delete, select

from bot.models import (
    Alert,
    ChannelLink,
    ConversationState,
    EngagementEvent,
    Goal,
    GoalStep,
    Invite,
    LinkAttempt,
    MediaFile,
    Nudge,
    OutboxMessage,
    Schedule,
    SentMessage,
    StaffAssignment,
    WebchatFile,
    WebchatMessage,
)
from bot.services.person_records import about_person

Counts = dict[str, int]


def _run(session: Session, counts: Counts, name: str, statement: Delete) -> None:
    result = session.exec(statement)
    counts[name] = counts.get(name, 0) + int(result.rowcount)


def messages(session: Session, person_id: int, alert_ids: list[int], counts: Counts) -> None:
    """What was sent or planned: to them, and to their coach about them."""
    _run(session, counts, "outbox", delete(OutboxMessage).where(about_person(person_id, alert_ids)))
    _run(
        session,
        counts,
        "sent_message",
        delete(SentMessage).where(col(SentMessage.person_id) == person_id),
    )


def events_and_alerts(session: Session, person_id: int, counts: Counts) -> None:
    _run(
        session,
        counts,
        "engagement_event",
        delete(EngagementEvent).where(col(EngagementEvent.person_id) == person_id),
    )
    _run(session, counts, "alert", delete(Alert).where(col(Alert.person_id) == person_id))


def plans(session: Session, person_id: int, counts: Counts, *, goals: bool = True) -> None:
    """Schedules and nudges; with `goals`, the goals and their steps too."""
    _run(session, counts, "schedule", delete(Schedule).where(col(Schedule.person_id) == person_id))
    _run(session, counts, "nudge", delete(Nudge).where(col(Nudge.person_id) == person_id))
    if goals:
        theirs = select(Goal.id).where(col(Goal.person_id) == person_id)
        _run(
            session, counts, "goal_step", delete(GoalStep).where(col(GoalStep.goal_id).in_(theirs))
        )
        _run(session, counts, "goal", delete(Goal).where(col(Goal.person_id) == person_id))


def links(session: Session, person_id: int, chat_ids: Iterable[str], counts: Counts) -> None:
    """Their chat links, invites, failed link codes from their chats, where a conversation
    stood and which IOM staff see them."""
    chats = list(chat_ids)
    _run(
        session,
        counts,
        "channel_link",
        delete(ChannelLink).where(col(ChannelLink.person_id) == person_id),
    )
    _run(
        session,
        counts,
        "link_attempt",
        delete(LinkAttempt).where(col(LinkAttempt.chat_id).in_(chats)),
    )
    _run(session, counts, "invite", delete(Invite).where(col(Invite.person_id) == person_id))
    _run(
        session,
        counts,
        "conversation_state",
        delete(ConversationState).where(col(ConversationState.person_id) == person_id),
    )
    _run(
        session,
        counts,
        "staff_assignment",
        delete(StaffAssignment).where(col(StaffAssignment.person_id) == person_id),
    )


def webchat(session: Session, chat_ids: Iterable[str], counts: Counts) -> set[str]:
    """The web chat's messages, and the files only they showed; the files' hashes."""
    chats = list(chat_ids)
    shown = set(
        session.exec(
            select(WebchatMessage.media_sha256)
            .where(col(WebchatMessage.chat_id).in_(chats))
            .where(col(WebchatMessage.media_sha256).is_not(None))
        ).all()
    )
    _run(
        session,
        counts,
        "webchat_message",
        delete(WebchatMessage).where(col(WebchatMessage.chat_id).in_(chats)),
    )
    hashes = {sha for sha in shown if sha is not None}
    _run(
        session,
        counts,
        "webchat_file",
        delete(WebchatFile).where(col(WebchatFile.sha256).in_(hashes)).where(~_shown_elsewhere()),
    )
    return hashes


def media_files(session: Session, hashes: Iterable[str], counts: Counts) -> None:
    """Telegram's ids for files with these hashes (a card with their name on it)."""
    _run(
        session,
        counts,
        "media_file",
        delete(MediaFile).where(col(MediaFile.sha256).in_(list(hashes))),
    )


def _shown_elsewhere() -> ColumnElement[bool]:
    return exists().where(col(WebchatMessage.media_sha256) == col(WebchatFile.sha256))
