"""Everything Waymark holds about one person, read in one go: one query per table.

The subject access export shows it, erasure removes it, and both name the same tables,
so a table missing here is missing from both (tests/integration/test_person_data.py
checks every table of the data map that holds a person's rows is read here).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ColumnElement
from sqlmodel import Session, SQLModel, col, or_, select

from bot.models import (
    Account,
    Alert,
    Appointment,
    AuditEntry,
    ChannelLink,
    ConsentEvent,
    ConversationState,
    EngagementEvent,
    Goal,
    GoalStep,
    Invite,
    Need,
    Nudge,
    OutboxMessage,
    PassportVersion,
    Person,
    Schedule,
    SentMessage,
    StaffAssignment,
    WebchatMessage,
)
from bot.services.webchat import CHANNEL as WEBCHAT

M = TypeVar("M", bound=SQLModel)


@dataclass
class Records:
    person: Person
    links: list[ChannelLink]
    needs: list[Need]
    appointments: list[Appointment]
    sent: list[SentMessage]
    outbox: list[OutboxMessage]  # to them, and to their coach about them
    events: list[EngagementEvent]
    alerts: list[Alert]
    goals: list[Goal]
    steps: dict[int, list[GoalStep]]  # by goal id
    nudges: list[Nudge]
    schedules: list[Schedule]
    invites: list[Invite]
    assignments: list[StaffAssignment]
    states: list[ConversationState]
    webchat: list[WebchatMessage]
    audit: list[AuditEntry]
    accounts: dict[int, Account] = field(default_factory=dict)  # every account named above
    consents: list[ConsentEvent] = field(default_factory=list)  # the consent history
    about_me: list[PassportVersion] = field(default_factory=list)  # every version

    @property
    def chat_ids(self) -> list[str]:
        return [link.chat_id for link in self.links]

    def account_name(self, account_id: int | None) -> str:
        account = self.accounts.get(account_id) if account_id is not None else None
        return account.name if account is not None else "Waymark"


def about_person(person_id: int, alert_ids: list[int]) -> ColumnElement[bool]:
    """The outbox rows about a person: theirs, and those to their coach about them (an
    alert carries their reference, a relayed voice note follows it)."""
    keys = [f"alert:{alert_id}" for alert_id in alert_ids]
    return or_(
        col(OutboxMessage.person_id) == person_id,
        col(OutboxMessage.key).in_(keys),
        col(OutboxMessage.key).startswith(f"relay:{person_id}:", autoescape=True),
    )


def records_of(session: Session, person: Person) -> Records:
    pid = person.id
    assert pid is not None
    links = list(session.exec(select(ChannelLink).where(ChannelLink.person_id == pid)).all())
    alerts = list(
        session.exec(
            select(Alert).where(Alert.person_id == pid).order_by(col(Alert.created_at))
        ).all()
    )
    goals = list(
        session.exec(select(Goal).where(Goal.person_id == pid).order_by(col(Goal.id))).all()
    )
    steps: dict[int, list[GoalStep]] = defaultdict(list)
    goal_ids = [goal.id for goal in goals if goal.id is not None]
    for step in session.exec(
        select(GoalStep).where(col(GoalStep.goal_id).in_(goal_ids)).order_by(col(GoalStep.position))
    ).all():
        steps[step.goal_id].append(step)
    webchats = [link.chat_id for link in links if link.channel == WEBCHAT]
    alert_ids = [alert.id for alert in alerts if alert.id is not None]
    found = Records(
        person=person,
        links=links,
        needs=_of(session, Need, Need.person_id == pid, col(Need.recorded_at)),
        appointments=_of(
            session, Appointment, Appointment.person_id == pid, col(Appointment.starts_at)
        ),
        sent=_of(session, SentMessage, SentMessage.person_id == pid, col(SentMessage.at)),
        outbox=_of(session, OutboxMessage, about_person(pid, alert_ids), col(OutboxMessage.due_at)),
        events=_of(
            session, EngagementEvent, EngagementEvent.person_id == pid, col(EngagementEvent.at)
        ),
        alerts=alerts,
        goals=goals,
        steps=dict(steps),
        nudges=_of(session, Nudge, Nudge.person_id == pid, col(Nudge.created_at)),
        schedules=_of(session, Schedule, Schedule.person_id == pid, col(Schedule.created_at)),
        invites=_of(session, Invite, Invite.person_id == pid, col(Invite.created_at)),
        assignments=_of(
            session, StaffAssignment, StaffAssignment.person_id == pid, col(StaffAssignment.id)
        ),
        states=_of(
            session,
            ConversationState,
            ConversationState.person_id == pid,
            col(ConversationState.person_id),
        ),
        webchat=_of(
            session,
            WebchatMessage,
            col(WebchatMessage.chat_id).in_(webchats),
            col(WebchatMessage.id),
        ),
        audit=_of(session, AuditEntry, AuditEntry.person_id == pid, col(AuditEntry.id)),
        consents=_of(session, ConsentEvent, ConsentEvent.person_id == pid, col(ConsentEvent.id)),
        about_me=_of(
            session, PassportVersion, PassportVersion.person_id == pid, col(PassportVersion.id)
        ),
    )
    named = {person.coach_id}
    named |= {need.recorded_by for need in found.needs}
    named |= {a.acknowledged_by for a in alerts if a.acknowledged_by is not None}
    named |= {a.account_id for a in found.assignments}
    named |= {e.account_id for e in found.audit if e.account_id is not None}
    named |= {c.account_id for c in found.consents if c.account_id is not None}
    named |= {v.account_id for v in found.about_me if v.account_id is not None}
    for account in session.exec(select(Account).where(col(Account.id).in_(named))).all():
        assert account.id is not None
        found.accounts[account.id] = account
    return found


def _of(session: Session, model: type[M], where: Any, order: Any) -> list[M]:
    return list(session.exec(select(model).where(where).order_by(order)).all())
