"""Planning is idempotent under concurrency: two planners writing the same rows at once
both finish (PostgreSQL, where they really overlap), and a chain of snoozes keeps its
key inside the column (PostgreSQL refuses a key longer than 120 characters)."""

from __future__ import annotations

import queue
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text
from sqlmodel import col, select

from bot.composition import Waymark
from bot.models import OutboxMessage, OutboxStatus, Person, ScheduleKind
from bot.services import coaching, schedules
from bot.storage import UnitOfWork, committed
from tests.support import world
from tests.support.database import ON_EVERY_DATABASE
from tests.support.fakes import FixedClock

HOURLY = "0 * * * *"


def _person_with(app: Waymark, kind: ScheduleKind, spec: str) -> int:
    """A person with a schedule (planned once, as adding it does)."""
    world.add_coach(app)
    person = world.add_person(app)
    assert person.id is not None
    with committed(app.uow) as uow:
        schedules.add(uow.session, app.clock, person.id, kind, spec)
        uow.commit()
    return person.id


def _outbox(engine: Engine) -> list[OutboxMessage]:
    with UnitOfWork(engine) as uow:
        return list(uow.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def _plan_alone(engine: Engine, clock: FixedClock, backend: queue.Queue[int]) -> int:
    """A second planner (another worker's): its own connection and unit of work."""
    with UnitOfWork(engine) as uow:
        backend.put(uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one())
        planned = schedules.plan_all(uow.session, clock)
        uow.commit()
    return planned


def _wait_until_blocked(engine: Engine, pid: int) -> None:
    """Until PostgreSQL shows backend `pid` waiting for a lock (at most 10 s)."""
    waiting = text("SELECT count(*) FROM pg_locks WHERE pid = :pid AND NOT granted")
    deadline = time.monotonic() + 10
    with engine.connect() as connection:
        while not connection.execute(waiting, {"pid": pid}).scalar_one():
            assert time.monotonic() < deadline, "the second planner never reached the rows"
            time.sleep(0.01)
            connection.rollback()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_planners_at_once_both_finish_and_write_each_row_once(
    site_waymark: Waymark, clock: FixedClock
) -> None:
    engine = site_waymark.engine
    _person_with(site_waymark, ScheduleKind.NUDGE, HOURLY)
    clock.advance(days=2)  # the next day and a half is not planned yet
    backend: queue.Queue[int] = queue.Queue()
    with UnitOfWork(engine) as first, ThreadPoolExecutor(1) as pool:
        planned = schedules.plan_all(first.session, clock)
        first.flush()
        second = pool.submit(_plan_alone, engine, clock, backend)
        # The second planner writes the same keys while the first has not committed: it
        # waits for the first; then it must neither fail nor roll back its run.
        _wait_until_blocked(engine, backend.get(timeout=10))
        first.commit()
        assert second.result(timeout=30) == planned
    ahead = [row for row in _outbox(engine) if row.due_at >= clock.now()]
    assert len(ahead) == planned == 37  # every hour of the next 36, both ends included
    assert len({row.key for row in ahead}) == planned
    assert {row.status for row in ahead} == {OutboxStatus.PENDING}


@ON_EVERY_DATABASE
def test_ten_snoozes_in_a_chain_keep_the_key_short(
    site_waymark: Waymark, clock: FixedClock
) -> None:
    person_id = _person_with(site_waymark, ScheduleKind.MOOD, "daily 13:00")
    first, *_ = _outbox(site_waymark.engine)  # today's, at 13:00
    snoozed = first
    for _ in range(10):
        clock.set(snoozed.due_at)  # it arrives, and is snoozed for an hour
        with committed(site_waymark.uow) as uow:
            person = uow.session.get(Person, person_id)
            assert person is not None
            assert snoozed.id is not None
            assert coaching.snooze(uow.session, clock, person, snoozed.id, "hour")
            uow.commit()
        *_, snoozed = _outbox(site_waymark.engine)
        assert snoozed.due_at == clock.now() + timedelta(hours=1)
    chain = [row for row in _outbox(site_waymark.engine) if "~snooze@" in row.key]
    assert len(chain) == 10
    assert {len(row.key) for row in chain} == {len(first.key) + len("~snooze@YYYYmmddTHHMM")}
    assert all(row.key.startswith(f"{first.key}~snooze@") for row in chain)
