"""The dispatcher wakes for the next due row, not at a fixed tick; for a poke (an alert
raised in this process); and at each sweep (SCHEDULER_TICK_SECONDS) for rows another
worker wrote. On the real clock, with the runner running as `waymark serve` runs it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.composition import Waymark, build
from bot.domain.clock import SystemClock
from tests.conftest import make_settings
from tests.support import due
from tests.support.botapi import StandInBotAPI
from tests.support.database import ON_EVERY_DATABASE

pytestmark = ON_EVERY_DATABASE
Live = Callable[[float], Waymark]


@pytest.fixture
async def live(engine: Engine, botapi: StandInBotAPI, db_url: str) -> AsyncIterator[Live]:
    """A Waymark on the real clock whose runner sweeps every `sweep` seconds."""
    apps: list[Waymark] = []

    def start(sweep: float) -> Waymark:
        settings = make_settings(db_url, botapi)
        scheduler = settings.scheduler.model_copy(update={"tick_seconds": sweep})
        settings = settings.model_copy(update={"scheduler": scheduler})
        apps.append(build(settings, clock=SystemClock(), engine=engine))
        return apps[-1]

    yield start
    for app in apps:
        await app.stop()


async def test_a_row_goes_at_its_time_not_at_the_next_sweep(
    live: Live, botapi: StandInBotAPI
) -> None:
    app = live(3600)  # a sweep an hour: only the wake for the next due row can send it
    await app.open()
    (person,) = due.linked(app, 1)
    at = datetime.now(UTC) + timedelta(seconds=0.5)
    due.notes_due(app, person, 1, at)
    app.runner.start()
    (call,) = await botapi.wait_for("sendMessage", timeout=5)
    assert call.time >= at.timestamp()  # not before its time either


async def test_a_poke_wakes_it_for_a_row_due_now(live: Live, botapi: StandInBotAPI) -> None:
    app = live(3600)
    await app.open()
    (person,) = due.linked(app, 1)
    app.runner.start()
    await app.runner.asleep.wait()  # nothing due: asleep for the hour
    due.notes_due(app, person, 1)
    app.runner.poke()
    await botapi.wait_for("sendMessage", timeout=5)


async def test_a_sweep_finds_a_row_another_worker_wrote(live: Live, botapi: StandInBotAPI) -> None:
    app = live(0.2)
    await app.open()
    (person,) = due.linked(app, 1)
    app.runner.start()
    await app.runner.asleep.wait()
    due.notes_due(app, person, 1)  # written elsewhere: nobody pokes this worker
    await botapi.wait_for("sendMessage", timeout=5)
