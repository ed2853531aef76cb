"""Retention: what is past its period, kind by kind, and taking it a batch at a time.

Each rule names rows by their age against one period of RetentionSettings (the defaults
are docs/data-protection.md's). `report` counts what would go and changes nothing; `take`
takes one batch of one rule inside the caller's unit of work (the job commits each
batch: scheduler/retention.py). On PostgreSQL a batch's rows are picked with
``FOR UPDATE SKIP LOCKED``, so jobs on several workers share the work and never take a
row twice; SQLite runs one writer at a time (BEGIN IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, SQLModel, col, delete, select, update

from bot.domain.clock import Clock
from bot.models import (
    Alert,
    ApiToken,
    AuditEntry,
    ConversationState,
    EngagementEvent,
    Invite,
    LinkAttempt,
    LoginAttempt,
    MediaFile,
    OutboxMessage,
    OutboxStatus,
    Person,
    RetentionRun,
    SeenUpdate,
    SentMessage,
    WebchatFile,
    WebchatMessage,
)
from bot.services.pseudonymise import pseudonymise
from bot.settings import RetentionSettings

FINISHED = (
    OutboxStatus.SENT,
    OutboxStatus.FAILED,
    OutboxStatus.STALE,
    OutboxStatus.CANCELLED,
    OutboxStatus.SKIPPED,
)
DELETE, BLANK, PSEUDONYMISE = "delete", "blank", "pseudonymise"
PEOPLE_PER_BATCH = 20  # pseudonymising one person is a few statements per table


Past = Callable[[datetime], ColumnElement[bool]]  # the rows older than a cutoff


@dataclass(frozen=True)
class Rule:
    name: str
    what: str  # what goes, in words for the report and the admin's page
    period: Callable[[RetentionSettings], int]  # days
    model: type[SQLModel]
    key: Any  # the column that names a row
    past: Past
    action: str = DELETE


def older(when: Any, *also: Callable[[], ColumnElement[bool]]) -> Past:
    """Rows whose `when` is before the cutoff (and that meet `also`)."""
    return lambda cutoff: and_(col(when) < cutoff, *(condition() for condition in also))


def _finished() -> ColumnElement[bool]:
    return col(OutboxMessage.status).in_(FINISHED)


def _not_shown() -> ColumnElement[bool]:
    shown = select(WebchatMessage.id).where(
        col(WebchatMessage.media_sha256) == col(WebchatFile.sha256)
    )
    return ~shown.exists()


def _with_words() -> ColumnElement[bool]:
    return col(Alert.detail) != ""


def _not_pseudonymised() -> ColumnElement[bool]:
    return col(Person.pseudonymised_at).is_(None)


def _invite_over(cutoff: datetime) -> ColumnElement[bool]:
    """Used, voided or expired before the cutoff."""
    return or_(
        col(Invite.used_at) < cutoff,
        col(Invite.voided_at) < cutoff,
        col(Invite.expires_at) < cutoff,
    )


def _words(settings: RetentionSettings) -> int:
    return settings.message_words_days


def _engagement(settings: RetentionSettings) -> int:
    return settings.engagement_days


def _throttle(settings: RetentionSettings) -> int:
    return settings.throttle_days


def _audit(settings: RetentionSettings) -> int:
    return settings.audit_days


RULES: tuple[Rule, ...] = (
    Rule(
        "sent-messages",
        "the record of each message sent, with its words",
        _words,
        SentMessage,
        SentMessage.id,
        older(SentMessage.at),
    ),
    Rule(
        "outbox",
        "messages sent, stopped or given up on, with their words",
        _words,
        OutboxMessage,
        OutboxMessage.id,
        older(OutboxMessage.due_at, _finished),
    ),
    Rule(
        "web-chat",
        "web chat messages",
        _words,
        WebchatMessage,
        WebchatMessage.id,
        older(WebchatMessage.at),
    ),
    Rule(
        "web-chat-files",
        "web chat cards and voice notes that no message shows",
        _words,
        WebchatFile,
        WebchatFile.sha256,
        older(WebchatFile.created_at, _not_shown),
    ),
    Rule(
        "telegram-files",
        "Telegram's ids for cards and voice notes",
        _words,
        MediaFile,
        MediaFile.id,
        older(MediaFile.created_at),
    ),
    Rule(
        "conversations",
        "where a conversation stood, when nothing has happened in it since",
        _words,
        ConversationState,
        ConversationState.person_id,
        older(ConversationState.updated_at),
    ),
    Rule(
        "alert-words",
        "the words in alerts (a message to the coach, a detail)",
        _words,
        Alert,
        Alert.id,
        older(Alert.created_at, _with_words),
        BLANK,
    ),
    Rule(
        "engagement",
        "replies, button presses, moods and check-ins",
        _engagement,
        EngagementEvent,
        EngagementEvent.id,
        older(EngagementEvent.at),
    ),
    Rule(
        "alerts",
        "alerts and what was done about them",
        _engagement,
        Alert,
        Alert.id,
        older(Alert.created_at),
    ),
    Rule(
        "closed-cases",
        "closed cases: pseudonymised",
        lambda settings: settings.closed_case_days,
        Person,
        Person.id,
        older(Person.closed_at, _not_pseudonymised),
        PSEUDONYMISE,
    ),
    Rule(
        "invites",
        "invites used, voided or expired",
        lambda settings: settings.invite_days,
        Invite,
        Invite.id,
        _invite_over,
    ),
    Rule(
        "link-attempts",
        "failed link codes",
        _throttle,
        LinkAttempt,
        LinkAttempt.id,
        older(LinkAttempt.at),
    ),
    Rule(
        "login-attempts",
        "failed logins",
        _throttle,
        LoginAttempt,
        LoginAttempt.id,
        older(LoginAttempt.at),
    ),
    Rule(
        "telegram-updates",
        "Telegram update ids",
        _throttle,
        SeenUpdate,
        SeenUpdate.update_id,
        older(SeenUpdate.received_at),
    ),
    Rule(
        "api-tokens",
        "revoked API tokens",
        lambda settings: settings.api_token_days,
        ApiToken,
        ApiToken.id,
        older(ApiToken.revoked_at),
    ),
    Rule("audit", "audit trail entries", _audit, AuditEntry, AuditEntry.id, older(AuditEntry.at)),
    Rule(
        "retention-runs",
        "the retention job's own runs",
        _audit,
        RetentionRun,
        RetentionRun.id,
        older(RetentionRun.started_at),
    ),
)


def cutoff(rule: Rule, settings: RetentionSettings, now: datetime) -> datetime:
    return now - timedelta(days=rule.period(settings))


@dataclass(frozen=True)
class Due:
    rule: Rule
    days: int
    count: int


def report(session: Session, clock: Clock, settings: RetentionSettings) -> list[Due]:
    """How many rows of each rule are past their period now. Reads only."""
    now = clock.now()
    return [
        Due(
            rule,
            rule.period(settings),
            int(
                session.exec(
                    select(func.count())
                    .select_from(rule.model)
                    .where(rule.past(cutoff(rule, settings, now)))
                ).one()
            ),
        )
        for rule in RULES
    ]


def take(
    session: Session, clock: Clock, rule: Rule, settings: RetentionSettings, limit: int
) -> tuple[int, int]:
    """Take one batch of the rule: (rows picked, rows changed). Picked on PostgreSQL with
    FOR UPDATE SKIP LOCKED: rows another worker's batch holds are left to it."""
    if rule.action == PSEUDONYMISE:
        limit = min(limit, PEOPLE_PER_BATCH)
    picked = list(
        session.exec(
            select(rule.key)
            .where(rule.past(cutoff(rule, settings, clock.now())))
            .order_by(rule.key)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
    )
    if not picked:
        return 0, 0
    if rule.action == PSEUDONYMISE:
        for person in session.exec(select(Person).where(col(Person.id).in_(picked))).all():
            pseudonymise(session, clock, person)
        return len(picked), len(picked)
    if rule.action == BLANK:
        result = session.exec(update(Alert).where(col(Alert.id).in_(picked)).values(detail=""))
    else:
        result = session.exec(delete(rule.model).where(col(rule.key).in_(picked)))
    return len(picked), int(result.rowcount)


def last_run(session: Session) -> RetentionRun | None:
    return session.exec(
        select(RetentionRun).order_by(
            col(RetentionRun.started_at).desc(), col(RetentionRun.id).desc()
        )
    ).first()
