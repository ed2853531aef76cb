"""The communication passport ("About me"): how a person likes to be spoken to, what helps
them understand, what makes things hard, their best time of day, what to do if they are
overwhelmed and their format, in their own taps and words.

The person builds it in the chat (bot/flows/about_me.py); their coach can add to it with
them on the dashboard. Every change adds a version (bot/models/consent.py PassportVersion);
none is ever changed, and the newest is what is shown. IOM staff assigned to the person
see it only while the person's newest word on sharing it is yes (consent_history).

Services never commit: the entry point commits once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, delete, select

from bot.domain.clock import Clock
from bot.domain.errors import Invalid
from bot.models import Account, PassportVersion, Person, Via
from bot.services import audit

# Each topic, its heading for staff, whether several answers may be chosen, and the
# choices with how a practitioner reads them. The codes are what flows and forms send.
# The choices' words avoid the other labels on the person's page ("Time", "Place", "Date")
# so that a label names one field there.
TOPICS: dict[str, tuple[str, bool, dict[str, str]]] = {
    "spoken": (
        "How I like to be spoken to",
        False,
        {
            "simple": "Short, simple words",
            "calm": "Calm and slow",
            "direct": "Straight to the point",
        },
    ),
    "understand": (
        "What helps me understand",
        True,
        {
            "written": "Having it written down",
            "pictures": "Pictures",
            "read_out": "Someone reading it out",
            "extra_time": "Longer to take it in",
        },
    ),
    "hard": (
        "What makes things hard",
        True,
        {
            "noise": "Noise",
            "waiting_rooms": "Waiting rooms",
            "phone_calls": "Phone calls",
            "crowds": "Crowds",
        },
    ),
    "time": (
        "My best time of day",
        False,
        {
            "morning": "Morning",
            "afternoon": "Afternoon",
            "evening": "Evening",
            "any": "Any part of the day",
        },
    ),
    "overwhelmed": (
        "If I am overwhelmed",
        False,
        {
            "break": "Give me a short break",
            "quiet": "A quiet room to go to",
            "coach": "Call my coach",
            "later": "Try again another day",
        },
    ),
    "format": (
        "How I like information",
        False,
        {"words": "Words", "pictures": "Pictures", "voice": "Voice notes"},
    ),
}
OWN_WORDS_MAX = 200  # each topic's own words
WORDS_MAX = 500


@dataclass(frozen=True)
class Topic:
    key: str
    heading: str
    chosen: tuple[str, ...]  # as a practitioner reads them
    own_words: str


@dataclass(frozen=True)
class Passport:
    version: int  # 1 for the first
    made_at: datetime
    made_by: str  # "them, in the chat" or "Alex Coach with them, on the dashboard"
    topics: tuple[Topic, ...]
    words: str
    voice: bool
    answers: dict[str, Any]

    @property
    def filled(self) -> tuple[Topic, ...]:
        return tuple(t for t in self.topics if t.chosen or t.own_words)


def tidy(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only known topics and codes, and each topic's own words trimmed; Invalid for too
    many words."""
    clean: dict[str, Any] = {}
    for key, (_, several, choices) in TOPICS.items():
        raw = answers.get(key)
        codes = raw if isinstance(raw, list) else [raw] if isinstance(raw, str) else []
        picked = [c for c in dict.fromkeys(codes) if c in choices]
        if picked:
            clean[key] = picked if several else picked[:1]
        own = " ".join(str(answers.get(f"{key}_words", "")).split())
        if len(own) > OWN_WORDS_MAX:
            raise Invalid(f"Keep each answer in their words to {OWN_WORDS_MAX} characters")
        if own:
            clean[f"{key}_words"] = own
    return clean


def save(
    session: Session,
    clock: Clock,
    person: Person,
    answers: Mapping[str, Any],
    *,
    words: str = "",
    voice_id: str | None = None,
    via: Via,
    account_id: int | None = None,
) -> PassportVersion:
    """A new version of the person's passport (the one before stays as it was)."""
    assert person.id is not None
    words = " ".join(words.split())
    if len(words) > WORDS_MAX:
        raise Invalid(f"Keep the other words to {WORDS_MAX} characters or fewer")
    version = PassportVersion(
        person_id=person.id,
        answers=tidy(answers),
        words=words,
        voice_id=voice_id,
        via=via,
        account_id=account_id,
        created_at=clock.now(),
    )
    session.add(version)
    if account_id is not None:
        audit.record(session, clock, account_id, "change", "about me", person_id=person.id)
    return version


def versions(session: Session, person_id: int) -> list[PassportVersion]:
    return list(
        session.exec(
            select(PassportVersion)
            .where(PassportVersion.person_id == person_id)
            .order_by(col(PassportVersion.id))
        ).all()
    )


def latest_row(session: Session, person_id: int) -> tuple[PassportVersion, int] | None:
    """The newest version and its number."""
    rows = versions(session, person_id)
    return (rows[-1], len(rows)) if rows else None


def latest(session: Session, person_id: int) -> Passport | None:
    found = latest_row(session, person_id)
    if found is None:
        return None
    row, number = found
    who = None
    if row.account_id is not None:
        account = session.get(Account, row.account_id)
        who = account.name if account is not None else None
    made_by = "them, in the chat" if who is None else f"{who} with them, on the dashboard"
    return Passport(
        number,
        row.created_at,
        made_by,
        tuple(_topic(key, row.answers) for key in TOPICS),
        row.words,
        row.voice_id is not None,
        dict(row.answers),
    )


def _topic(key: str, answers: Mapping[str, Any]) -> Topic:
    heading, _, choices = TOPICS[key]
    codes = answers.get(key) or []
    chosen = tuple(choices[c] for c in codes if c in choices)
    return Topic(key, heading, chosen, str(answers.get(f"{key}_words", "")))


def forget(session: Session, person_id: int, counts: dict[str, int]) -> None:
    """Every version goes (erasure, and a closed case's pseudonymisation: the passport is
    all their own words and ways, nothing the evaluation counts)."""
    gone = session.exec(delete(PassportVersion).where(col(PassportVersion.person_id) == person_id))
    counts["passport_version"] = gone.rowcount or 0
