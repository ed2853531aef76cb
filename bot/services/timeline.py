"""A person's timeline for their coach: every message sent to them (its words made again
from its content key and variables, as they read them), everything they did (the
engagement events: never what they typed, which is not kept) and every alert, newest
first. Words a person sent to their coach with /coach travel in the alert's detail and
are shown here: the timeline is for the person's own coach only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.content.library import ContentLibrary
from bot.flows.types import Say
from bot.models import Alert, EngagementEvent, Person, SentMessage
from bot.rendering.renderer import WORDS, Profile, Renderer

LIMIT = 200
# Recorded twice over: "message_sent" beside the sent message itself, "command" beside
# "in_command", "relayed" beside the coach's "message" alert that carries the words.
SKIPPED = ("message_sent", "command", "relayed")
ANSWERS = {
    "coming": "coming",
    "late": "running late",
    "cant_come": "can't come",
    "directions": "how do I get there",
    "done": "done",
    "some": "some of it",
    "not_yet": "not yet",
    "help": "I need help",
}
AGAIN = {"voice": "read to them (voice note)", "pictures": "as a picture card"}
CHANNELS = {"telegram": "Telegram", "webchat": "the web chat"}


@dataclass(frozen=True)
class Entry:
    at: datetime
    what: str
    words: str | None = None  # the message's words, or the words sent to the coach
    from_person: bool = False


def _detail(detail: dict[str, Any], name: str) -> str:
    return str(detail.get(name, ""))


def _answer(detail: dict[str, Any]) -> str:
    answer = _detail(detail, "answer")
    return ANSWERS.get(answer, answer.replace("_", " "))


def event_label(kind: str, detail: dict[str, Any]) -> str:
    """What the person did, in a coach's words."""
    labels = {
        "in_text": "Wrote a message",
        "in_command": f"Used the command /{_detail(detail, 'command')}",
        "in_button": "Pressed a button",
        "in_media": "Sent a voice note or a file",
        "reminder_reply": f"Answered a reminder: {_answer(detail)}",
        "practice_reminder": f"Answered the practice reminder: {_answer(detail)}",
        "checkin": f"Answered a check-in on a step: {_answer(detail)}",
        "checkin_sure": f"How sure they are: {_detail(detail, 'sure')} out of 10",
        "mood": f"Mood check-in: {_detail(detail, 'colour')}",
        "consent": "Agreed to Waymark" if detail.get("given") else "Did not agree to Waymark",
        "onboarded": f"Finished setting up: messages as {_detail(detail, 'format')}",
        "paused": "Paused all messages",
        "resumed": "Started their messages again",
        "quiet_day": "Chose a quieter day",
        "snooze": f"Snoozed a message ({_detail(detail, 'choice')})",
        "calendar_file": "Asked for the calendar file",
        "media_request": "Asked for a message again, "
        + AGAIN.get(_detail(detail, "format"), _detail(detail, "format")),
    }
    return labels.get(kind, kind.replace("_", " ").capitalize())


def _words(renderer: Renderer, person: Person, row: SentMessage) -> str | None:
    variables = {str(k): str(v) for k, v in row.variables.items()}
    profile = Profile(WORDS, person.easy_read, person.language)
    try:
        return renderer.render(Say(row.content_key, variables), profile).words.text
    except KeyError:  # an item since taken out of the library
        return None


def _sent(session: Session, renderer: Renderer, person: Person) -> list[Entry]:
    query = (
        select(SentMessage)
        .where(SentMessage.person_id == person.id)
        .order_by(col(SentMessage.at).desc(), col(SentMessage.id).desc())
        .limit(LIMIT)
    )
    entries = []
    for row in session.exec(query).all():
        by = CHANNELS.get(row.channel, row.channel)
        what = "Their coach's reply" if row.content_key == "coach_reply" else "Waymark sent"
        entries.append(
            Entry(row.at, f"{what}, by {by}, as {row.format}", _words(renderer, person, row))
        )
    return entries


def _events(session: Session, person_id: int) -> list[Entry]:
    query = (
        select(EngagementEvent)
        .where(EngagementEvent.person_id == person_id)
        .where(col(EngagementEvent.kind).not_in(SKIPPED))
        .order_by(col(EngagementEvent.at).desc(), col(EngagementEvent.id).desc())
        .limit(LIMIT)
    )
    return [
        Entry(event.at, event_label(event.kind, event.detail), from_person=True)
        for event in session.exec(query).all()
    ]


def _alerts(session: Session, content: ContentLibrary, person_id: int) -> list[Entry]:
    query = (
        select(Alert)
        .where(Alert.person_id == person_id)
        .order_by(col(Alert.created_at).desc(), col(Alert.id).desc())
        .limit(LIMIT)
    )
    entries = []
    for alert in session.exec(query).all():
        if alert.kind == "message":
            voice = alert.detail == "voice note"
            what = "Sent a voice note to their coach" if voice else "Wrote to their coach"
            entries.append(Entry(alert.created_at, what, None if voice else alert.detail, True))
        else:
            label = content.alert_kinds.get(alert.kind, alert.kind.replace("_", " "))
            urgent = "Urgent alert" if alert.urgent else "Alert"
            entries.append(Entry(alert.created_at, f"{urgent}: {label}", alert.detail or None))
    return entries


def timeline(
    session: Session, content: ContentLibrary, person: Person, limit: int = LIMIT
) -> list[Entry]:
    """The newest `limit` entries, newest first."""
    assert person.id is not None
    entries = [
        *_sent(session, Renderer(content), person),
        *_events(session, person.id),
        *_alerts(session, content, person.id),
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]
