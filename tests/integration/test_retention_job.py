"""The retention job takes exactly what is past its period, a batch at a time, and two
runs at once (two workers) share the work: every old row goes once, every young row stays,
and the counts the runs record add up. On SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import ColumnElement, Engine, insert
from sqlmodel import Session, SQLModel, col, func, select

from bot.composition import Waymark, build
from bot.models import EngagementEvent, LoginAttempt, RetentionRun, SentMessage
from bot.services import retention
from bot.settings import RetentionSettings
from bot.storage import committed
from scheduler import retention as retention_job
from tests.conftest import make_settings
from tests.support import world
from tests.support.database import ON_EVERY_DATABASE
from tests.support.fakes import FixedClock

pytestmark = ON_EVERY_DATABASE
OLD_SENT, YOUNG_SENT, OLD_EVENTS, OLD_LOGINS = 1_500, 200, 1_000, 300


def _fill(app: Waymark) -> None:
    """Rows past their periods (and some that are not), written in bulk."""
    world.add_coach(app)
    person = world.add_person(app)
    now = app.clock.now()
    sent = [
        {
            "person_id": person.id,
            "channel": "webchat",
            "content_key": "nudge",
            "variables": {"name": "Sam"},
            "format": "words",
            "at": now - timedelta(days=100 if i < OLD_SENT else 10, minutes=i),
        }
        for i in range(OLD_SENT + YOUNG_SENT)
    ]
    events: list[dict[str, object]] = [
        {
            "person_id": person.id,
            "kind": "in_button",
            "detail": {},
            "at": now - timedelta(days=400, minutes=i),
        }
        for i in range(OLD_EVENTS)
    ]
    logins = [
        {"email": "x@example.org", "client": "10.0.0.1", "at": now - timedelta(days=2, minutes=i)}
        for i in range(OLD_LOGINS)
    ]
    with Session(app.engine) as session:
        session.execute(insert(SentMessage), sent)
        session.execute(insert(EngagementEvent), events)
        session.execute(insert(LoginAttempt), logins)
        session.commit()


def _count(engine: Engine, model: type[SQLModel], *where: ColumnElement[bool]) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def test_two_runs_at_once_take_every_old_row_once(
    engine: Engine, clock: FixedClock, db_url: str
) -> None:
    app = build(make_settings(db_url), clock=clock, engine=engine)
    _fill(app)
    settings = RetentionSettings(batch_size=100)
    with committed(app.uow) as uow:
        due = {one.rule.name: one.count for one in retention.report(uow.session, clock, settings)}
    assert (due["sent-messages"], due["engagement"], due["login-attempts"]) == (
        OLD_SENT,
        OLD_EVENTS,
        OLD_LOGINS,
    )

    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda _: retention_job.run(app.uow, clock, settings), range(2)))

    taken: dict[str, int] = {}
    for counts in runs:
        for name, count in counts.items():
            taken[name] = taken.get(name, 0) + count
    assert taken == {
        "sent-messages": OLD_SENT,
        "engagement": OLD_EVENTS,
        "login-attempts": OLD_LOGINS,
    }
    assert _count(engine, SentMessage) == YOUNG_SENT
    assert _count(engine, EngagementEvent) == 0
    assert _count(engine, LoginAttempt) == 0
    assert _count(engine, RetentionRun, col(RetentionRun.finished_at).is_not(None)) == 2
    with committed(app.uow) as uow:
        last = retention.last_run(uow.session)
        again = {one.rule.name: one.count for one in retention.report(uow.session, clock, settings)}
    assert last is not None
    assert last.counts in runs
    assert set(again.values()) == {0}
