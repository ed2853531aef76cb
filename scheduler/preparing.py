"""Preparing claimed outbox rows: each is stale (its moment passed), skipped (nobody to
receive it), held (quiet hours, a conversation under way) or rendered for its reader.

A reminder is rendered when it goes, not when it was planned, so it carries the
appointment's current place and the person's current preferences (format, easy-read,
language). A row whose moment has passed is marked stale; one with nobody to receive it
is skipped, with the reason. The words are decided in the claim's unit of work (each
message to a person is recorded in sent_message, for its "Read it to me" and "Show me"
buttons); the card or voice note is made afterwards, off the event loop (`make`).

Every write here names the claim that took the rows (its token) and happens only while
the row is still that claim's: a row that has gone to another claim is left as it is
and comes back ``taken``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from sqlalchemy import insert
from sqlmodel import Session, col

from bot.domain.clock import Clock
from bot.domain.localtime import local
from bot.domain.planner import parse_quiet_from, quiet_window
from bot.flows.reminder_replies import appointment_variables, reminder_buttons
from bot.flows.types import Button, Say
from bot.models import (
    Appointment,
    AppointmentStatus,
    ChannelLink,
    Consent,
    OutboxMessage,
    OutboxStatus,
    Person,
    SentMessage,
)
from bot.rendering.outgoing import Draft, Maker, Media, MediaKind, Rendered, WordsOnly
from bot.rendering.renderer import WORDS, Profile, Renderer
from bot.services import closure, outbox
from bot.services.alerts import coach_of
from bot.services.flow_views import appointment_view, profile_of
from bot.storage import UnitOfWorkFactory, committed
from bot.storage.rows import saved_id
from scheduler import coaching_rows
from scheduler.claimed_rows import ClaimedRows

CHANNEL = "telegram"
DEFERRED = "deferred"  # pending again, for later: quiet hours, a conversation under way
TAKEN = "taken"  # another claim holds the row now; this one wrote nothing


@dataclass(frozen=True)
class Ready:
    row_id: int
    channel: str
    chat_id: str
    draft: Draft


@dataclass(frozen=True)
class Done:
    row_id: int
    status: str


class OutboxPreparer:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        renderer: Renderer,
        media: Maker | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._renderer = renderer
        self._media = media or WordsOnly()

    async def make(self, ready: Ready) -> Rendered:
        """The message with its card or voice note, made off the event loop."""
        return await self._media.make(ready.draft)

    def prepare(self, token: str, ids: list[int]) -> list[Ready | Done]:
        """The rows the claim `token` took, each ready to send or done with: one unit of
        work, a few queries for all the rows, one insert for all their sent_message rows."""
        with committed(self._uow) as uow:
            return self.prepare_in(uow.session, token, ids)

    def prepare_in(self, session: Session, token: str, ids: list[int]) -> list[Ready | Done]:
        """`prepare` inside a unit of work the caller commits (the demo's replay)."""
        now = self._clock.now()
        claimed = ClaimedRows.load(session, ids, now)
        decided = [self._decide(session, token, claimed, row_id, now) for row_id in ids]
        sayings = [item for item in decided if isinstance(item, _Say)]
        sent_ids = iter(_record(session, sayings, now))
        return [
            self._render(item, next(sent_ids)) if isinstance(item, _Say) else item
            for item in decided
        ]

    def _render(self, saying: _Say, sent_id: int | None) -> Ready:
        draft = self._renderer.render(
            saying.say, saying.profile, silent=saying.silent, sent_id=sent_id
        )
        return Ready(saying.row_id, saying.channel, saying.chat_id, draft)

    def _decide(
        self, session: Session, token: str, claimed: ClaimedRows, row_id: int, now: datetime
    ) -> Ready | Done | _Say:
        row = claimed.rows.get(row_id)
        if row is None or row.status != OutboxStatus.SENDING or row.claim_token != token:
            return Done(row_id, TAKEN)
        close = partial(_close, session, token, row)
        if row.coach_id is not None:
            return self._for_coach(claimed.coach_links.get(row.coach_id), row, close)
        person = session.get(Person, row.person_id) if row.person_id is not None else None
        if person is None:  # a row for nobody (neither a person nor a coach): bad data
            return close(OutboxStatus.SKIPPED, "nobody to receive it")
        appointment = session.get(Appointment, row.appointment_id) if row.appointment_id else None
        if appointment is not None and appointment.status == AppointmentStatus.CANCELLED:
            return close(OutboxStatus.CANCELLED, "appointment cancelled")
        if appointment is not None and row.kind == "reminder":
            if appointment.starts_at <= now:
                return close(OutboxStatus.STALE, "appointment has started")
            if claimed.superseded(row):  # sent late: only the newest one goes
                return close(OutboxStatus.STALE, "a later reminder replaces it")
        if person.consent != Consent.GIVEN or person.paused:
            reason = "paused" if person.paused else "no consent yet"
            return close(OutboxStatus.SKIPPED, reason)
        # A goodbye names its chat: the link it would have gone by ended with the case.
        link = claimed.person_links.get(saved_id(person)) or closure.destination(row)
        if link is None:
            return close(OutboxStatus.SKIPPED, "not linked")
        if row.kind in coaching_rows.KINDS:
            decided = coaching_rows.decide(
                session, now, row, person, coach_of(session, person).name
            )
            if isinstance(decided, coaching_rows.Hold):
                return _hold(session, token, row, decided)
            say = decided
        else:
            say = self._say(row, person, appointment, now)
        quiet = parse_quiet_from(person.quiet_from)
        silent = row.silent or (quiet is not None and quiet_window(now, quiet) is not None)
        profile = profile_of(person)
        if person.quiet_day_until is not None and person.quiet_day_until > now:
            profile = replace(profile, easy_read=True)  # a quieter day: the shorter words
        words_only = self._renderer.content.message(say.key, profile.language).words_only
        format_ = WORDS if words_only else profile.format
        return _Say(
            row_id, link.channel, link.chat_id, saved_id(person), say, profile, format_, silent
        )

    def _say(
        self, row: OutboxMessage, person: Person, appointment: Appointment | None, now: datetime
    ) -> Say:
        variables = {"name": person.preferred_name, **closure.without_destination(row.variables)}
        buttons: tuple[tuple[Button, ...], ...] = ()
        key = row.content_key
        if appointment is not None:
            variables.update(appointment_variables(appointment_view(appointment)))
            if row.kind == "reminder":
                buttons = reminder_buttons(saved_id(appointment), appointment.revision)
                key = reminder_key(key, now, appointment.starts_at)
        return Say(key, variables, buttons)

    def _for_coach(
        self, link: ChannelLink | None, row: OutboxMessage, close: _Close
    ) -> Ready | Done:
        if link is None:
            return close(OutboxStatus.SKIPPED, "coach not linked")
        variables = dict(row.variables)
        kinds = self._renderer.content.alert_kinds
        variables["kind"] = kinds.get(variables.get("kind", ""), variables.get("kind", ""))
        draft = self._renderer.render(Say(row.content_key, variables))  # plain words
        if variables.get("media_id"):  # a voice note the person sent on: by its file id
            voice = Media(
                MediaKind.VOICE, b"", "voice.ogg", "audio/ogg", file_id=str(variables["media_id"])
            )
            draft = replace(draft, words=replace(draft.words, media=voice))
        return Ready(saved_id(row), link.channel, link.chat_id, draft)


def reminder_key(key: str, now: datetime, starts_at: datetime) -> str:
    """Keep "tomorrow" and "today" true on the day the message really goes."""
    days_ahead = (local(starts_at).date() - local(now).date()).days
    if key == "reminder_evening" and days_ahead != 1:
        return "reminder_morning" if days_ahead == 0 else "reminder_lead"
    if key == "reminder_morning" and days_ahead != 0:
        return "reminder_lead"
    return key


@dataclass(frozen=True)
class _Say:
    """A message to a person, decided; it is recorded (sent_message) and rendered once
    every row of the claim is decided."""

    row_id: int
    channel: str
    chat_id: str
    person_id: int
    say: Say
    profile: Profile
    format: str
    silent: bool


def _record(session: Session, sayings: list[_Say], now: datetime) -> list[int]:
    """What bot/services/sent.py `record` writes, for many messages in one statement
    (on PostgreSQL; SQLite's driver runs it row by row, still without the ORM's cost):
    their ids, in order."""
    if not sayings:
        return []
    rows = [
        {
            "person_id": saying.person_id,
            "channel": saying.channel,
            "content_key": saying.say.key,
            "variables": dict(saying.say.variables),
            "format": saying.format,
            "appointment_id": saying.say.calendar.id if saying.say.calendar else None,
            "at": now,
        }
        for saying in sayings
    ]
    returning = insert(SentMessage).returning(col(SentMessage.id), sort_by_parameter_order=True)
    return list(session.execute(returning, rows).scalars())


def _hold(session: Session, token: str, row: OutboxMessage, hold: coaching_rows.Hold) -> Done:
    if hold.until is None:
        return _close(session, token, row, hold.status, hold.reason)
    row_id = saved_id(row)
    held = outbox.settle(
        session, row_id, token, OutboxStatus.PENDING, due_at=hold.until, last_error=hold.reason
    )
    return Done(row_id, DEFERRED if held else TAKEN)


def _close(
    session: Session, token: str, row: OutboxMessage, status: OutboxStatus, reason: str
) -> Done:
    row_id = saved_id(row)
    closed = outbox.settle(session, row_id, token, status, last_error=reason)
    return Done(row_id, str(status) if closed else TAKEN)


_Close = Callable[[OutboxStatus, str], Done]
