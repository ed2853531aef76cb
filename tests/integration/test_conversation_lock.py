"""One conversation at a time per person across workers (bot/conversation/lock.py): two
workers, two Waymarks built on one PostgreSQL database with an engine each, decide on two
updates of one person at once. The first is caught between reading where the
conversation stands and saving it; the second must wait for it, then start from what the
first saved. Without the lock the second reads the old step and the first's save then
overwrites the second's: a step of the person's onboarding is lost."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from bot.composition import Waymark, build
from bot.domain.chat import ChatRef
from bot.flows.types import Incoming, Kind
from bot.models import ConversationState
from bot.storage import build_engine
from tests.conftest import make_settings
from tests.support import world
from tests.support.fakes import FixedClock

CHAT = ChatRef("telegram", "5001")


@pytest.fixture
def second_engine(engine: Engine, db_url: str) -> Iterator[Engine]:
    """The second worker's own engine (its own pool) on the same, migrated, database."""
    other = build_engine(db_url)
    yield other
    other.dispose()


def _press(data: str) -> Incoming:
    return Incoming(Kind.BUTTON, button=data)


def _step(app: Waymark, person_id: int) -> str:
    with app.uow() as uow:
        row = uow.session.get(ConversationState, person_id)
        assert row is not None
        return row.step


def _waiting_on_a_lock(engine: Engine, pid: int) -> bool:
    with engine.connect() as connection:
        query = text("SELECT count(*) FROM pg_locks WHERE pid = :pid AND NOT granted")
        return bool(connection.execute(query, {"pid": pid}).scalar_one())


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_workers_deciding_on_one_person_never_lose_a_step(
    engine: Engine, second_engine: Engine, clock: FixedClock, db_url: str
) -> None:
    first = build(make_settings(db_url), clock=clock, engine=engine)
    second = build(make_settings(db_url), clock=clock, engine=second_engine)
    world.add_coach(first)
    person = world.add_person(first)
    assert person.id is not None
    first.conversation.decide(CHAT, Incoming.from_text(f"/start {world.invite(first)}"))
    assert _step(first, person.id) == "consent"

    read = threading.Event()  # the first worker has read the conversation's step
    second_done = threading.Event()
    second_pid: list[int] = []
    first_thread: list[threading.Thread] = []

    @event.listens_for(second_engine, "checkout")
    def _note_pid(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        second_pid.append(cursor.fetchone()[0])
        cursor.close()

    @event.listens_for(engine, "after_cursor_execute")
    def _pause_after_reading(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        caught = threading.current_thread() in first_thread and not read.is_set()
        if (
            caught
            and statement.lstrip().upper().startswith("SELECT")
            and ("FROM conversation_state" in statement)
        ):
            read.set()
            deadline = time.monotonic() + 10
            # The second worker decides now: it finishes (no lock), or waits for this one.
            while not second_done.is_set() and not (
                second_pid and _waiting_on_a_lock(engine, second_pid[-1])
            ):
                assert time.monotonic() < deadline, "the second worker neither ran nor waited"
                second_done.wait(0.01)

    def decide_first() -> None:
        first_thread.append(threading.current_thread())
        first.conversation.decide(CHAT, _press("ob:consent:agree"))

    def decide_second() -> None:
        assert read.wait(10)
        second.conversation.decide(CHAT, _press("ob:format:words"))
        second_done.set()

    with ThreadPoolExecutor(2) as pool:
        answers = [pool.submit(decide_first), pool.submit(decide_second)]
        for answer in answers:
            answer.result(timeout=30)
    # Both steps taken, in order: consent agreed, then words chosen.
    assert _step(first, person.id) == "reminders"
    with first.uow() as uow:
        loaded = uow.session.get(type(person), person.id)
        assert loaded is not None
        assert loaded.format == "words"
