"""Erasing a person: every row about them goes, in every table, and the files made from
their words leave the media cache.

What goes: the person row (name, case reference), chat links and chat ids, failed link
codes from their chats, invites, where a conversation stood, every message sent or
planned (to them, and to their coach about them), the web chat's messages and the files
only it showed, what they did (engagement events), alerts and their words, needs, goals
and steps, nudges and schedules, appointments, IOM staff assignments, and Telegram's ids
for the cards and voice notes made for them.

What stays: nothing that can be tied to them. The evaluation keeps no figures of theirs
(docs/data-protection.md says why: a count kept for one person is still about them); the
reports for everyone else are unchanged. The audit trail keeps that an erasure happened,
when, by whom and why (the reason, which may not name them); the entries about their
record stay, no longer pointing at anyone.

Services never commit: the entry point commits, then removes the files (`remove_files`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, delete, update

from bot.content.library import ContentLibrary
from bot.domain.clock import Clock
from bot.domain.errors import Invalid
from bot.media.cached import CachedMedia
from bot.models import Appointment, AuditEntry, Need, Person
from bot.rendering.renderer import Renderer
from bot.services import audit, consent_history, forgetting, passport, read_only, sent_words
from bot.services.person_records import Records, records_of

REASON_MAX = 70  # the audit entry's subject holds "erasure: " and the reason
SUBJECT = "erasure: "


@dataclass(frozen=True)
class Erased:
    rows: dict[str, int]  # by table: how many rows went
    files: list[Path]  # cached cards and voice notes to remove once the erasure is committed

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def check_reason(reason: str, records: Records) -> str:
    """The reason, tidied; Invalid when it is missing, too long, or names the person."""
    tidy = " ".join(reason.split())
    if not tidy:
        raise Invalid("Give the reason for the erasure, like: request by letter of 3 March")
    if len(tidy) > REASON_MAX:
        raise Invalid(f"Keep the reason to {REASON_MAX} characters or fewer")
    person = records.person
    naming = [person.ref, *records.chat_ids]
    if len(person.preferred_name) >= 2:
        naming.append(person.preferred_name)
    if any(part and part.casefold() in tidy.casefold() for part in naming):
        raise Invalid(
            "The reason must not name the person, their reference or their chat: say why, not who"
        )
    return tidy


def erase(
    session: Session,
    clock: Clock,
    person: Person,
    *,
    reason: str,
    account_id: int | None,
    via: str,
    content: ContentLibrary,
    media: CachedMedia | None = None,
) -> Erased:
    records = records_of(session, person)
    why = check_reason(reason, records)
    pid = person.id
    assert pid is not None
    read_only.lift(session)
    files = _cached_files(records, content, media)
    counts: dict[str, int] = {}
    alert_ids = [alert.id for alert in records.alerts if alert.id is not None]
    forgetting.messages(session, pid, alert_ids, counts)
    forgetting.events_and_alerts(session, pid, counts)
    forgetting.plans(session, pid, counts)
    passport.forget(session, pid, counts)
    consent_history.forget(session, pid, counts)
    forgetting.links(session, pid, records.chat_ids, counts)
    hashes = forgetting.webchat(session, records.chat_ids, counts)
    forgetting.media_files(session, hashes | {_sha256(path) for path in files}, counts)
    session.exec(delete(Need).where(col(Need.person_id) == pid))
    counts["need"] = len(records.needs)
    session.exec(delete(Appointment).where(col(Appointment.person_id) == pid))
    counts["appointment"] = len(records.appointments)
    session.exec(update(AuditEntry).where(col(AuditEntry.person_id) == pid).values(person_id=None))
    session.expunge(person)
    session.exec(delete(Person).where(col(Person.id) == pid))
    counts["person"] = 1
    audit.record(session, clock, account_id, "erase", SUBJECT + why, via=via)
    return Erased({name: n for name, n in counts.items() if n}, files)


def remove_files(paths: list[Path]) -> int:
    """Take erased files out of the media cache (after the commit); how many went."""
    gone = 0
    for path in paths:
        try:
            path.unlink()
            gone += 1
        except FileNotFoundError:
            continue
    return gone


def _cached_files(
    records: Records, content: ContentLibrary, media: CachedMedia | None
) -> list[Path]:
    if media is None:
        return []
    renderer = Renderer(content)
    language = records.person.language
    found: set[Path] = set()
    for row in records.sent:
        for draft in sent_words.drafts(renderer, row, language):
            found.update(media.files_for(draft))
    return sorted(found)


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
