"""A case from closing to pseudonymisation, on SQLite and PostgreSQL: closing stops every
waiting message, says goodbye (with signposting) in the person's chat and ends its link;
the closed record refuses every change until it is reopened; reopening works only within
the retention period; and the daily job pseudonymises the case once that has passed,
leaving nothing that names them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col, select

from bot.composition import Waymark, build
from bot.content.library import load_content
from bot.domain.actor import Actor
from bot.domain.errors import Invalid
from bot.media.cached import cached_media
from bot.models import (
    Appointment,
    AuditEntry,
    ChannelLink,
    Consent,
    Need,
    Nudge,
    OutboxMessage,
    OutboxStatus,
    Person,
    RetentionRun,
    Schedule,
    SentMessage,
    WebchatMessage,
)
from bot.services import (
    appointments,
    closure,
    invites,
    needs,
    nudges,
    people,
    plans,
    retention,
    schedules,
)
from bot.services import webchat as webchat_service
from bot.services.access import people_of
from bot.services.read_only import CaseClosed
from bot.settings import MediaSettings
from bot.storage import committed
from scheduler import retention as retention_job
from tests.conftest import make_settings
from tests.support import world
from tests.support.database import ON_EVERY_DATABASE
from tests.support.fakes import FixedClock
from tests.support.leftovers import found_in_database, rows_in_every_table
from tests.support.year import replay

pytestmark = ON_EVERY_DATABASE
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
REF = "IOM-0001"
CLOSED_DAYS = 730


@pytest.fixture
def app(engine: Engine, clock: FixedClock, db_url: str, tmp_path: Path) -> Waymark:
    settings = make_settings(db_url)
    settings.media = MediaSettings(cache_dir=tmp_path / "media")
    built = build(settings, clock=clock, engine=engine)
    built.load_content()
    return built


def _linked_person(app: Waymark) -> tuple[int, str]:
    """Sam: agreed to Waymark, on the web chat, an appointment in three days (its reminders
    waiting) and a nudge every weekday."""
    coach = world.add_coach(app)
    person = world.add_person(app, REF, "Sam")
    assert coach.id is not None
    assert person.id is not None
    with committed(app.uow) as uow:
        uow.session.exec(
            update(Person).where(col(Person.id) == person.id).values(consent=Consent.GIVEN)
        )
        uow.commit()
    with committed(app.uow) as uow:
        linked = webchat_service.link_person(uow, app.clock, person.id)
    assert linked is not None
    world.add_appointment(app, app.clock.now() + timedelta(days=3), REF)
    with committed(app.uow) as uow:
        nudges.add(uow, app.clock, REF, text="Pack your bag", every="weekdays 08:30")
    return coach.id, linked.chat_id


def _close(app: Waymark, account_id: int | None) -> closure.Closed:
    with committed(app.uow) as uow:
        person = people.person_by_ref(uow.session, REF)
        closed = closure.close(uow.session, app.clock, person, account_id=account_id, via="web")
        uow.commit()
    return closed


def _reopen(app: Waymark) -> None:
    with committed(app.uow) as uow:
        person = people.person_by_ref(uow.session, REF)
        closure.reopen(
            uow.session, app.clock, person, retention_days=CLOSED_DAYS, account_id=None, via="cli"
        )
        uow.commit()


async def test_closing_stops_messages_says_goodbye_and_ends_the_link(app: Waymark) -> None:
    coach, chat = _linked_person(app)
    with committed(app.uow) as uow:
        waiting = uow.session.exec(
            select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        ).all()
    assert len(waiting) >= 3  # the appointment's reminders and the nudges

    closed = _close(app, coach)
    assert (closed.stopped, closed.goodbye) == (len(waiting), True)
    with committed(app.uow) as uow:
        session = uow.session
        person = people.person_by_ref(session, REF)
        assert person.closed_at == app.clock.now()
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.person_id == person.id)).all()
        pending = [row for row in rows if row.status == OutboxStatus.PENDING]
        assert [row.content_key for row in pending] == ["goodbye", "signposting"]
        assert {row.kind for row in pending} == {closure.GOODBYE}
        assert session.exec(select(ChannelLink)).all() == []
        assert not any(s.active for s in session.exec(select(Schedule)).all())
        assert not any(n.active for n in session.exec(select(Nudge)).all())
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "close")).one()
        assert (entry.account_id, entry.person_id) == (coach, person.id)

    assert isinstance(app.clock, FixedClock)
    app.clock.advance(seconds=2)
    await app.dispatcher.tick()
    with committed(app.uow) as uow:
        said = uow.session.exec(
            select(WebchatMessage)
            .where(WebchatMessage.chat_id == chat)
            .order_by(col(WebchatMessage.id))
        ).all()
        sent = uow.session.exec(select(SentMessage)).all()
        assert not webchat_service.chat_exists(uow.session, chat)  # the page is closed
    words = [message.text for message in said]
    assert words[0].startswith("Sam, your time with Waymark has ended.")
    assert "Samaritans 116 123" in words[1]
    assert [row.content_key for row in sent] == ["goodbye", "signposting"]
    assert all(closure.TO_CHAT not in row.variables for row in sent)  # no chat id kept twice


CLI = Actor.cli()


def _changes(
    app: Waymark, appointment_id: int, goal_id: int, person_id: int, coach: int
) -> dict[str, Callable[[], object]]:
    clock, later = app.clock, app.clock.now() + timedelta(days=5)

    def run(change: Callable[..., object], *args: object, **kwargs: object) -> Callable[[], object]:
        def attempt() -> object:
            with committed(app.uow) as uow:
                return change(uow, clock, *args, **kwargs)

        return attempt

    new = appointments.NewAppointment(later, "Camberwell Office", "Jo", "probation")
    return {
        "add an appointment": run(appointments.add, REF, new, actor=Actor.cli()),
        "move one": run(appointments.move, appointment_id, later, actor=Actor.cli()),
        "record an outcome": run(
            appointments.record_outcome, appointment_id, "attended", actor=Actor.cli()
        ),
        "add a goal": run(plans.add_goal, REF, "Get a job", "grow"),
        "add a step": run(plans.add_step, goal_id, "Write a CV", date(2026, 12, 20)),
        "record a need": run(needs.record, person_id, "autism", coach, actor=CLI),
        "add a nudge": run(nudges.add, REF, text="Hello", at=later),
        "make an invite": run(invites.invite_person, REF, 7, actor=CLI),
        "ask for moods": run(schedules.set_mood_checks, REF, "fri 12:00", actor=CLI),
        "link a web chat": run(
            lambda uow, _clock: webchat_service.link_person(uow, _clock, person_id)
        ),
        "change preferences": lambda: _preferences(app),
    }


def _preferences(app: Waymark) -> object:
    with committed(app.uow) as uow:
        return people.set_preferences(uow, REF, format_="voice")


def test_a_closed_record_refuses_every_change_until_reopened(app: Waymark) -> None:
    coach, _ = _linked_person(app)
    with committed(app.uow) as uow:
        goal = plans.add_goal(uow, app.clock, REF, "Get to every appointment", "grow")
    with committed(app.uow) as uow:
        person = people.person_by_ref(uow.session, REF)
        appointment = uow.session.exec(select(Appointment)).one()
    assert goal.id is not None
    assert appointment.id is not None
    assert person.id is not None
    _close(app, coach)
    assert isinstance(app.clock, FixedClock)
    app.clock.advance(days=4)  # the appointment has been: its outcome could be recorded
    changes = _changes(app, appointment.id, goal.id, person.id, coach)
    before = rows_in_every_table(app.engine)
    refused = {}
    for what, change in changes.items():
        with pytest.raises(CaseClosed) as caught:
            change()
        refused[what] = str(caught.value)
    assert set(refused.values()) == {
        "This case is closed, so its record cannot be changed. Reopen the case first."
    }
    assert rows_in_every_table(app.engine) == before

    _reopen(app)
    for what in ("add a goal", "record a need", "change preferences", "add an appointment"):
        changes[what]()  # allowed again


def test_reopening_is_possible_only_within_the_retention_period(app: Waymark) -> None:
    coach, _ = _linked_person(app)
    clock = app.clock
    assert isinstance(clock, FixedClock)
    with pytest.raises(Invalid, match="open already"):
        _reopen(app)
    _close(app, coach)
    with pytest.raises(Invalid, match="closed already"):
        _close(app, coach)
    clock.advance(days=CLOSED_DAYS - 1)
    _reopen(app)
    _close(app, coach)
    clock.advance(days=CLOSED_DAYS, seconds=1)
    with pytest.raises(Invalid, match="passed its retention period"):
        _reopen(app)


def test_a_closed_case_past_its_period_is_pseudonymised_by_the_job(
    app: Waymark, engine: Engine, db_url: str
) -> None:
    lived = replay(engine, NOW, load_content(), ("IOM-1071",), days=21)
    ref, name, chat = "IOM-1071", lived.names["IOM-1071"], lived.chats["IOM-1071"]
    clock = app.clock
    assert isinstance(clock, FixedClock)
    clock.set(NOW)
    with committed(app.uow) as uow:
        person = people.person_by_ref(uow.session, ref)
        closure.close(uow.session, clock, person, account_id=None, via="cli")
        uow.commit()
        coach = uow.session.get(Person, person.id)
        assert coach is not None
        needs_before = [n.category for n in uow.session.exec(select(Need)).all()]
        outcomes = sorted(str(a.outcome) for a in uow.session.exec(select(Appointment)).all())
    settings = app.settings.retention

    clock.set(NOW + timedelta(days=CLOSED_DAYS) - timedelta(minutes=1))
    with committed(app.uow) as uow:
        due = {one.rule.name: one.count for one in retention.report(uow.session, clock, settings)}
    assert due["closed-cases"] == 0

    clock.set(NOW + timedelta(days=CLOSED_DAYS, hours=1))
    before = rows_in_every_table(engine)
    with committed(app.uow) as uow:
        due = {one.rule.name: one.count for one in retention.report(uow.session, clock, settings)}
    assert rows_in_every_table(engine) == before  # the report changed nothing
    assert due["closed-cases"] == 1
    assert due["sent-messages"] > 0
    assert due["engagement"] > 0

    media = cached_media(app.settings.media, app.settings.speech)
    taken = retention_job.run(app.uow, clock, settings, media)
    assert {k: v for k, v in taken.items() if k in due} == {k: v for k, v in due.items() if v}

    with committed(app.uow) as uow:
        session = uow.session
        person = session.exec(select(Person)).one()
        assert person.ref.startswith("X-")
        assert len(person.ref) == 14
        assert person.preferred_name == ""
        assert person.pseudonymised_at == clock.now()
        assert [n.category for n in session.exec(select(Need)).all()] == needs_before
        kept = session.exec(select(Appointment)).all()
        assert sorted(str(a.outcome) for a in kept) == outcomes
        assert {(a.place, a.with_whom) for a in kept} == {("", "")}
        assert session.exec(select(OutboxMessage)).all() == []
        assert session.exec(select(SentMessage)).all() == []
        coach_account = people.coach_by_email(session, "daniel.mensah@waymark.example")
        assert people_of(session, coach_account) == []  # the coach no longer sees it
        run = session.exec(select(RetentionRun)).one()
        assert run.finished_at == clock.now()
        assert run.counts == taken
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "pseudonymise")).one()
        assert (entry.person_id, entry.via) == (person.id, "job")
    assert found_in_database(engine, db_url, [name, ref, chat]) == []
    with pytest.raises(Invalid, match="passed its retention period"), committed(app.uow) as uow:
        closure.reopen(
            uow.session, clock, person, retention_days=CLOSED_DAYS, account_id=None, via="cli"
        )
