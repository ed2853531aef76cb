"""A subject access export: everything Waymark holds about a person, as one document that
bot/services/subject_access_files.py writes twice, as an easy-read page they can read
(or have read to them) and print, and as JSON.

The document is built from `person_records.records_of`, so it reaches every table erasure
reaches. Times are aware UTC here (ISO 8601 in the JSON); the page shows them in London.
The words of each message are made again from its record, as the timeline does: the
words it went with, in the person's plain or easy-read wording.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from bot.content.library import ContentLibrary
from bot.domain.clock import Clock
from bot.models import NEED_LABELS, NeedCategory, Person
from bot.rendering.renderer import Renderer
from bot.services import audit, sent_words
from bot.services.person_records import Records, records_of
from bot.services.timeline import event_label

# Sections in the order the page shows them; each is a list of rows in the JSON.
SECTIONS = (
    "chats",
    "needs",
    "consents",
    "about_me",
    "appointments",
    "messages_sent",
    "messages_waiting",
    "web_chat",
    "what_they_did",
    "check_ins",
    "moods",
    "alerts",
    "goals",
    "nudges",
    "schedules",
    "invites",
    "who_sees",
    "record_history",
)
CHECK_INS = ("checkin", "checkin_sure")
MOODS = ("mood",)
CONSENTS = ("consent",)
CHANNELS = {"telegram": "Telegram", "webchat": "the web chat"}


def export(
    session: Session,
    clock: Clock,
    content: ContentLibrary,
    person: Person,
    *,
    account_id: int | None,
    via: str,
) -> dict[str, Any]:
    """The document, with the export written to the audit trail (in the caller's unit of
    work: it commits)."""
    document = build(records_of(session, person), content, clock.now())
    audit.record(
        session, clock, account_id, "export", "subject access", person_id=person.id, via=via
    )
    return document


def build(records: Records, content: ContentLibrary, made_at: datetime) -> dict[str, Any]:
    person = records.person
    renderer = Renderer(content)
    events = records.events
    return {
        "made_at": _time(made_at),
        "person": _profile(records),
        "chats": [
            {
                "channel": CHANNELS.get(link.channel, link.channel),
                "chat_id": link.chat_id,
                "linked_at": _time(link.linked_at),
                "unreachable_since": _time(link.unreachable_at),
            }
            for link in records.links
        ],
        "needs": [
            {
                "need": NEED_LABELS.get(NeedCategory(need.category), str(need.category)),
                "recorded_at": _time(need.recorded_at),
                "recorded_by": records.account_name(need.recorded_by),
                "removed_at": _time(need.removed_at),
            }
            for need in records.needs
        ],
        "consents": _consents(records),
        "about_me": [
            {
                "made_at": _time(version.created_at),
                "made_by": "you, in the chat"
                if version.account_id is None
                else f"{records.account_name(version.account_id)} with you",
                "answers": dict(version.answers),
                "words": version.words,
                "voice_note": version.voice_id is not None,
            }
            for version in records.about_me
        ],
        "appointments": [
            {
                "starts_at": _time(a.starts_at),
                "kind": str(a.kind),
                "place": a.place,
                "with": a.with_whom,
                "travel_note": a.travel_note,
                "map_pin": None if a.latitude is None else [a.latitude, a.longitude],
                "status": str(a.status),
                "their_answer": None if a.confirmation is None else str(a.confirmation),
                "answered_at": _time(a.confirmed_at),
                "outcome": None if a.outcome is None else str(a.outcome),
                "outcome_recorded_at": _time(a.outcome_at),
            }
            for a in records.appointments
        ],
        "messages_sent": [
            {
                "at": _time(row.at),
                "by": CHANNELS.get(row.channel, row.channel),
                "as": row.format,
                "content_key": row.content_key,
                "words": sent_words.words(renderer, row, person.easy_read, person.language),
            }
            for row in records.sent
        ],
        "messages_waiting": [
            {
                "due_at": _time(row.due_at),
                "kind": row.kind,
                "to": "their coach" if row.coach_id is not None else "them",
                "status": str(row.status),
            }
            for row in records.outbox
        ],
        "web_chat": [
            {
                "at": _time(row.at),
                "from": "them" if row.from_person else "Waymark",
                "words": row.text,
                "words_under_picture_or_voice": row.caption,
            }
            for row in records.webchat
        ],
        "what_they_did": [
            _event(event) for event in events if event.kind not in CHECK_INS + MOODS + CONSENTS
        ],
        "check_ins": [_event(event) for event in events if event.kind in CHECK_INS],
        "moods": [
            {"at": _time(event.at), "mood": str(event.detail.get("colour", ""))}
            for event in events
            if event.kind in MOODS
        ],
        "alerts": [
            {
                "at": _time(alert.created_at),
                "what": content.alert_kinds.get(alert.kind, alert.kind.replace("_", " ")),
                "urgent": alert.urgent,
                "words": alert.detail or None,
                "seen_at": _time(alert.acknowledged_at),
                "seen_by": None
                if alert.acknowledged_by is None
                else records.account_name(alert.acknowledged_by),
            }
            for alert in records.alerts
        ],
        "goals": [
            {
                "goal": goal.title,
                "model": str(goal.model),
                "notes": dict(goal.scaffold),
                "status": str(goal.status),
                "made_at": _time(goal.created_at),
                "steps": [
                    {
                        "step": step.text,
                        "due_on": _day(step.due_on),
                        "status": str(step.status),
                        "done_at": _time(step.done_at),
                    }
                    for step in records.steps.get(goal.id or 0, [])
                ],
            }
            for goal in records.goals
        ],
        "nudges": [
            {
                "words": nudge.text,
                "content_key": nudge.content_key,
                "at": _time(nudge.at),
                "on": nudge.active,
                "made_at": _time(nudge.created_at),
            }
            for nudge in records.nudges
        ],
        "schedules": [
            {"kind": str(s.kind), "when": s.spec, "on": s.active, "made_at": _time(s.created_at)}
            for s in records.schedules
        ],
        "invites": [
            {
                "made_at": _time(invite.created_at),
                "expires_at": _time(invite.expires_at),
                "used_at": _time(invite.used_at),
                "voided_at": _time(invite.voided_at),
            }
            for invite in records.invites
        ],
        "who_sees": [{"who": records.account_name(person.coach_id), "as": "coach"}]
        + [
            {
                "who": records.account_name(a.account_id),
                "as": "IOM staff",
                "since": _time(a.created_at),
            }
            for a in records.assignments
        ],
        "record_history": [
            {
                "at": _time(entry.at),
                "who": records.account_name(entry.account_id),
                "role": _role(records, entry.account_id),
                "did": entry.action,
                "what": entry.subject,
                "by": entry.via,
            }
            for entry in records.audit
        ],
        "conversation_now": [
            {"flow": state.flow, "step": state.step, "answers_so_far": dict(state.data)}
            for state in records.states
            if state.flow
        ],
    }


ABOUT = {"service": "Waymark", "passport": "sharing your About me", "evaluation": "the evaluation"}
ANSWERS = {"given": "yes", "declined": "no", "withdrawn": "stop"}


def _consents(records: Records) -> list[dict[str, Any]]:
    """The consent history; for a person from before it was kept, their onboarding answers."""
    if records.consents:
        return [
            {
                "at": _time(event.at),
                "about": ABOUT.get(event.purpose, event.purpose),
                "answer": ANSWERS.get(event.decision, event.decision),
                "how": str(event.via),
                "wording_version": event.wording_version or "",
            }
            for event in records.consents
        ]
    return [
        {
            "at": _time(event.at),
            "about": ABOUT["service"],
            "answer": "yes" if event.detail.get("given") else "no",
            "how": "bot",
            "wording_version": str(event.detail.get("version", "")),
        }
        for event in records.events
        if event.kind in CONSENTS
    ]


def _profile(records: Records) -> dict[str, Any]:
    person = records.person
    return {
        "case_reference": person.ref,
        "preferred_name": person.preferred_name,
        "borough": person.borough,
        "coach": records.account_name(person.coach_id),
        "record_made_at": _time(person.created_at),
        "case_closed_at": _time(person.closed_at),
        "messages_as": str(person.format),
        "easy_read": person.easy_read,
        "reminders": str(person.reminder_plan),
        "reminder_times": person.leads,
        "quiet_from": person.quiet_from,
        "language": person.language,
        "consent": str(person.consent),
        "consent_wording_version": person.consent_version,
        "consent_at": _time(person.consent_at),
        "messages_paused": person.paused,
        "quiet_day_until": _time(person.quiet_day_until),
        "discreet_previews": person.discreet_previews,
    }


def _event(event: Any) -> dict[str, Any]:
    return {
        "at": _time(event.at),
        "what": event_label(event.kind, event.detail),
        "kind": event.kind,
        "detail": dict(event.detail),
    }


def _role(records: Records, account_id: int | None) -> str:
    account = records.accounts.get(account_id) if account_id is not None else None
    return "" if account is None else str(account.role)


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
