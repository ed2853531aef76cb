"""`waymark demo`: three months of Waymark replayed into a database of its own, found
again rather than doubled, made again with --fresh; and the command that serves it."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, SQLModel, col, select

from bot.content.library import load_content
from bot.demo import ACCOUNTS, Demo, prepare
from bot.domain.boroughs import BOROUGHS
from bot.domain.errors import Invalid
from bot.models import (
    Account,
    Alert,
    Appointment,
    ChannelLink,
    Confirmation,
    Consent,
    ConversationState,
    EngagementEvent,
    Format,
    Goal,
    GoalStep,
    Need,
    Nudge,
    OutboxMessage,
    OutboxStatus,
    Outcome,
    Person,
    Role,
    Schedule,
    ScheduleKind,
    StaffAssignment,
    StepStatus,
)
from bot.services import accounts
from bot.storage import UnitOfWork, build_engine, committed
from tests.support.database import migrated_engine
from tests.support.fakes import FixedClock
from tests.support.running import Running

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday
STARTS = 240  # seconds: the demo is made before it serves, on a busy machine too


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Demo]]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = migrated_engine(f"sqlite:///{path}")
    yield engine, prepare(engine, FixedClock(NOW), load_content())
    engine.dispose()


@pytest.fixture
def session(made: tuple[Engine, Demo]) -> Iterator[Session]:
    with Session(made[0]) as session:
        yield session


def _all(session: Session, model: type[SQLModel]) -> list[Any]:
    return list(session.exec(select(model)).all())


def test_the_cast(made: tuple[Engine, Demo], session: Session) -> None:
    roles = Counter(account.role for account in _all(session, Account))
    assert roles == {Role.MANAGER: 1, Role.COACH: 2, Role.STAFF: 1, Role.ADMIN: 1}
    people: list[Person] = _all(session, Person)
    assert len(people) == made[1].people == 12
    assert len({p.borough for p in people}) >= 4
    assert all(p.borough in BOROUGHS for p in people)
    assert {p.format for p in people} == set(Format)
    assert {p.easy_read for p in people} == {True, False}
    assert all(re.fullmatch(r"IOM-\d{4}", p.ref) for p in people)
    assert all(p.consent == Consent.GIVEN and p.consent_at is not None for p in people)
    states = _all(session, ConversationState)
    assert len(states) == 12
    assert all(state.flow == "" for state in states)


def test_needs_recorded_by_their_coach(session: Session) -> None:
    needs: list[Need] = _all(session, Need)
    per_person = Counter(need.person_id for need in needs)
    assert len({need.category for need in needs}) >= 5
    assert 2 in per_person.values()  # some people have two
    assert len(per_person) < 12  # and some none
    for need in needs:
        person = session.get(Person, need.person_id)
        assert person is not None
        assert need.recorded_by == person.coach_id
        assert need.recorded_at > person.created_at


def test_staff_manage_people_of_both_coaches(session: Session) -> None:
    staff = session.exec(select(Account).where(Account.role == Role.STAFF)).one()
    assigned = _all(session, StaffAssignment)
    assert {a.account_id for a in assigned} == {staff.id}
    people = {p.id: p for p in _all(session, Person)}
    coaches = {people[a.person_id].coach_id for a in assigned}
    assert len(coaches) == 2


def test_appointments_past_and_ahead(session: Session) -> None:
    appointments: list[Appointment] = _all(session, Appointment)
    past = [a for a in appointments if a.starts_at <= NOW]
    ahead = [a for a in appointments if a.starts_at > NOW]
    assert {a.outcome for a in past} >= set(Outcome)
    assert Counter(a.outcome for a in past).most_common(1)[0][0] == Outcome.ATTENDED
    assert min(a.starts_at for a in past) < NOW - timedelta(days=80)
    assert ahead
    assert max(a.starts_at for a in ahead) <= NOW + timedelta(days=15)
    for appointment in ahead:
        pending = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.appointment_id == appointment.id)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
        ).all()
        assert pending, appointment  # its reminders are planned, by appointments.add
        assert all(row.kind == "reminder" and row.due_at > NOW for row in pending)
    confirmed = [a for a in past if a.confirmation == Confirmation.COMING and a.outcome]
    silent = [a for a in past if a.confirmation is None and a.outcome]
    assert _attended(confirmed) > _attended(silent)  # people who confirm come more often


def _attended(appointments: list[Appointment]) -> float:
    return sum(a.outcome == Outcome.ATTENDED for a in appointments) / len(appointments)


def test_goals_nudges_and_schedules(session: Session) -> None:
    goals: list[Goal] = _all(session, Goal)
    steps: list[GoalStep] = _all(session, GoalStep)
    assert len(goals) == 12
    assert {g.model for g in goals} == {"grow", "oscar"}
    assert all(goal.scaffold for goal in goals)
    assert {s.status for s in steps} == {StepStatus.DONE, StepStatus.TODO}
    assert any(goal.status == "done" for goal in goals)
    nudges: list[Nudge] = _all(session, Nudge)
    assert any(n.at is not None for n in nudges)  # once
    kinds = {s.kind for s in _all(session, Schedule)}
    assert kinds == {ScheduleKind.CHECKIN, ScheduleKind.MOOD, ScheduleKind.NUDGE}


def test_alerts_open_and_acknowledged(session: Session) -> None:
    alerts: list[Alert] = _all(session, Alert)
    open_kinds = {a.kind for a in alerts if a.acknowledged_at is None}
    assert {"late", "cant_come", "lost", "checkin_help"} <= open_kinds
    seen = [a for a in alerts if a.acknowledged_at is not None]
    assert len(seen) > len(alerts) / 2
    assert all(a.acknowledged_by == a.coach_id for a in seen)
    assert all(a.created_at <= (a.acknowledged_at or a.created_at) <= NOW for a in seen)
    assert any(a.kind == "mood_red" and a.urgent for a in alerts)


def test_three_months_of_events_as_the_live_system_writes_them(session: Session) -> None:
    events: list[EngagementEvent] = _all(session, EngagementEvent)
    assert min(e.at for e in events) <= NOW - timedelta(days=90)
    assert max(e.at for e in events) <= NOW
    kinds = Counter(e.kind for e in events)
    for kind in ("message_sent", "reminder_reply", "in_button", "checkin", "checkin_sure"):
        assert kinds[kind] > 20, kind
    assert kinds["mood"] > 10
    assert kinds["onboarded"] == 12
    assert kinds["consent"] == 12
    sent = session.exec(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENT, col(OutboxMessage.person_id).is_not(None))
    ).one()
    assert kinds["message_sent"] == sent  # one event for each message that went
    for event in events:
        if event.kind == "message_sent":
            assert set(event.detail) == {"kind", "slot", "outbox_id"}
        if event.kind == "reminder_reply":
            assert event.appointment_id is not None
            assert event.detail["answer"] in {"coming", "late", "cant_come", "directions"}
    waiting = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.PENDING, col(OutboxMessage.due_at) <= NOW
        )
    ).all()
    assert not waiting  # everything due by now was sent (or closed) in the replay


def test_every_demo_login_works(made: tuple[Engine, Demo]) -> None:
    clock = FixedClock(NOW + timedelta(minutes=1))
    for demo_account in ACCOUNTS:
        with committed(partial(UnitOfWork, made[0])) as uow:
            account = accounts.log_in(uow, clock, demo_account.email, demo_account.password, "test")
        assert account.role == demo_account.role
        assert account.demo_account  # marked by the seeding: no second factor, in the demo
        assert demo_account.email.endswith(".example")  # never anyone's real address


def test_everyone_has_a_web_chat_and_none_has_telegram(
    made: tuple[Engine, Demo], session: Session
) -> None:
    links: list[ChannelLink] = _all(session, ChannelLink)
    people = {p.id for p in _all(session, Person)}
    assert {link.person_id for link in links} == people
    assert {link.channel for link in links} == {"webchat"}
    phones = made[1].phones
    assert [phone.name for phone in phones] == ["Sam", "Marcus", "Aisha"]
    assert {phone.format for phone in phones} == set(Format)
    assert {phone.chat_id for phone in phones} <= {link.chat_id for link in links}


def test_the_demo_is_found_again_not_doubled(made: tuple[Engine, Demo]) -> None:
    engine = made[0]
    before = _counts(engine)
    again = prepare(engine, FixedClock(NOW + timedelta(hours=2)), load_content())
    assert not again.made_now
    assert again.made_on == NOW.date()
    assert again.phones == made[1].phones
    assert _counts(engine) == before


def test_a_database_with_other_data_is_left_alone(tmp_path: Path) -> None:
    engine = migrated_engine(f"sqlite:///{tmp_path / 'real.db'}")
    clock = FixedClock(NOW)
    with committed(partial(UnitOfWork, engine)) as uow:
        accounts.add_account(uow, clock, email="priya@example.org", name="Priya")
    for fresh in (False, True):
        with pytest.raises(Invalid, match="not the demo"):
            prepare(engine, clock, load_content(), fresh=fresh)
    assert _counts(engine)["coach"] == 1
    engine.dispose()


def test_fresh_makes_the_same_demo_again(made: tuple[Engine, Demo], tmp_path: Path) -> None:
    """On a copy of the demo, with a visitor's account added: --fresh throws both away and
    makes the demo again. Same day, same dice: the same history, with new web chats."""
    original, first = made
    engine = _copy(original, tmp_path / "copy.db")
    with committed(partial(UnitOfWork, engine)) as uow:
        accounts.add_account(uow, FixedClock(NOW), email="visitor@example.org", name="Visitor")
    again = prepare(engine, FixedClock(NOW), load_content(), fresh=True)
    assert again.made_now
    assert _counts(engine) == _counts(original)  # the visitor's account went with the old demo
    assert _history(engine) == _history(original)
    assert {p.chat_id for p in again.phones}.isdisjoint({p.chat_id for p in first.phones})
    engine.dispose()


def _copy(engine: Engine, path: Path) -> Engine:
    source, target = sqlite3.connect(str(engine.url.database)), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return build_engine(f"sqlite:///{path}")


def _counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
            if table.name not in {"login_attempt"}
        }


def _history(engine: Engine) -> list[tuple[object, ...]]:
    with Session(engine) as session:
        events = session.exec(select(EngagementEvent).order_by(col(EngagementEvent.id))).all()
        return [(e.person_id, e.kind, e.at, e.appointment_id, e.detail) for e in events]


def test_waymark_demo_prints_where_to_go_and_serves_it(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    with Running(
        tmp_path,
        "demo",
        "--port",
        "0",
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_CACHE_DIR=str(tmp_path / "media"),
    ) as demo:
        printed = "\n".join(demo.wait_for_line("Ctrl-C stops it.", STARTS))
        dashboard = re.search(r"Dashboard: (http://127\.0\.0\.1:\d+)/login", printed)
        assert dashboard is not None, printed
        root = dashboard[1]
        logins = re.findall(r"^  (manager|coach|staff|admin) +(\S+@\S+) +(\S+)$", printed, re.M)
        assert {(role, email, password) for role, email, password in logins} == {
            (a.role.value, a.email, a.password) for a in ACCOUNTS
        }
        phones = re.findall(rf"open (\w+)'s phone \((\w+)\): +({root}/chat/\S+)", printed)
        assert [name for name, _, _ in phones] == ["Sam", "Marcus", "Aisha"]
        assert "the web chat is the only channel" in printed

        status, body = demo.get(f"{root}/healthz")
        assert status == 200
        health = json.loads(body)
        assert health["telegram"]["mode"] == "off"
        assert health["scheduler"] == "running"
        assert demo.get(f"{root}/login")[0] == 200
        assert demo.get(phones[0][2])[0] == 200

        assert demo.interrupt(timeout=15) == 0
        assert "Traceback" not in demo.logs()
    assert database.exists()
    assert not (tmp_path / "var").exists()
