"""How fast the real dispatcher sends due reminders, against a bare send loop.

    uv run python -m bench.dispatch [N]

N due reminders (one per person) go through the whole path: claim, render per profile,
python-telegram-bot to the stand-in Bot API server on loopback, record. The baseline is
python-telegram-bot alone sending N messages to the same server with the same number of
chats in flight, in the same run. Rate limits are lifted for both. Prints messages per
second and the ratio; on PostgreSQL too when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlmodel import select

from bot.composition import Waymark, build
from bot.models import ChannelLink, Consent, Person
from bot.services import appointments, people
from bot.services.appointments import NewAppointment
from bot.settings import (
    DatabaseSettings,
    SchedulerSettings,
    SendingSettings,
    Settings,
    TelegramSettings,
)
from scheduler.dispatcher import CONCURRENT_CHATS
from tests.support.botapi import StandInBotAPI
from tests.support.database import database_url, migrated_engine
from tests.support.fakes import FixedClock

START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ROUNDS = 3


def _settings(url: str, server: StandInBotAPI) -> Settings:
    return Settings(
        database=DatabaseSettings(url=url),
        telegram=TelegramSettings(bot_token=SecretStr(server.token), api_url=server.url),
        sending=SendingSettings(per_second=1e6, per_chat_per_second=1e6),
        scheduler=SchedulerSettings(batch_size=200),
    )


def _fill(app: Waymark, n: int, round_no: int) -> None:
    """n linked people who agreed, each with one reminder due at the clock's time."""
    clock = app.clock
    with app.uow() as uow:
        if round_no == 0:
            people.add_coach(uow, clock, "bench@waymark.test", "Bench")
    for i in range(n):
        ref = f"B{round_no}-{i:05d}"
        with app.uow() as uow:
            people.add_person(
                uow,
                clock,
                ref=ref,
                name="Sam",
                borough="Camden",
                coach_email="bench@waymark.test",
                leads="1h",
            )
        with app.uow() as uow:
            person = uow.session.exec(select(Person).where(Person.ref == ref)).one()
            person.consent = Consent.GIVEN
            chat_id = str(100_000 + round_no * n + i)
            uow.session.add(
                ChannelLink(
                    channel="telegram", chat_id=chat_id, person_id=person.id, linked_at=clock.now()
                )
            )
            uow.commit()
        with app.uow() as uow:
            appointments.add(
                uow,
                clock,
                ref,
                NewAppointment(clock.now() + timedelta(hours=2), "Camberwell Office", "Jo"),
            )
    clock.advance(hours=1)  # type: ignore[attr-defined]


async def _baseline(app: Waymark, n: int) -> float:
    assert app.application is not None
    bot = app.application.bot
    limit = asyncio.Semaphore(CONCURRENT_CHATS)

    async def one(i: int) -> None:
        async with limit:
            await bot.send_message(chat_id=100_000 + i, text="Sam, soon: a reminder.")

    began = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    return n / (time.perf_counter() - began)


async def _waymark(app: Waymark, n: int) -> float:
    began = time.perf_counter()
    report = await app.dispatcher.tick()
    elapsed = time.perf_counter() - began
    if report.counts != {"sent": n}:
        raise SystemExit(f"expected {n} sent, got {dict(report.counts)}")
    return n / elapsed


async def run(backend: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, database_url(backend, Path(tmp)) as url:
        engine = migrated_engine(url)
        async with StandInBotAPI() as server:
            clock = FixedClock(START)
            app = build(_settings(url, server), clock=clock, engine=engine)
            await app.open()
            ours: list[float] = []
            bare: list[float] = []
            for round_no in range(ROUNDS):
                _fill(app, n, round_no)
                bare.append(await _baseline(app, n))
                ours.append(await _waymark(app, n))
            await app.stop()
        engine.dispose()
    ours_median, bare_median = statistics.median(ours), statistics.median(bare)
    print(
        f"{backend:<10} n={n}  waymark {ours_median:7.1f} msg/s  "
        f"bare PTB {bare_median:7.1f} msg/s  ratio {ours_median / bare_median:.2f}  "
        f"(median of {ROUNDS})"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
    for backend in backends:
        asyncio.run(run(backend, n))


if __name__ == "__main__":
    main()
