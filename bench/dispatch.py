"""How fast the real dispatcher sends due reminders, against a bare send loop.

    uv run python -m bench.dispatch [N]

N due reminders (one per person) go through the whole path: claim, render per profile,
the Telegram framework to the stand-in Bot API server on loopback, record. The baseline
is the same framework's bare Bot sending N messages to the same server with the same
number of chats in flight, in the same run. Rate limits are lifted for both. Prints
messages per second and the ratio, for python-telegram-bot and aiogram; on PostgreSQL
too when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.population import START, fill, run_everywhere, settings
from bot.channels.telegram import aiogram_adapter, ptb_adapter
from bot.composition import Waymark, build
from bot.settings import TelegramSettings
from tests.support.botapi import StandInBotAPI
from tests.support.database import database_url, migrated_engine
from tests.support.fakes import FixedClock

ROUNDS = 3
CONCURRENT_CHATS = 16  # the bare send's requests in flight
TEXT = "Sam, soon: a reminder."


async def _bare(framework: str, telegram: TelegramSettings, n: int) -> float:
    """The framework's own Bot, nothing else: n messages, CONCURRENT_CHATS at a time."""
    if framework == "aiogram":
        aiogram_bot = aiogram_adapter.build_bot(telegram)
        try:
            return await _timed(n, lambda i: aiogram_bot.send_message(chat_id=i, text=TEXT))
        finally:
            await aiogram_bot.session.close()
    ptb_bot = ptb_adapter.build_bot(telegram)
    await ptb_bot.initialize()
    try:
        return await _timed(n, lambda i: ptb_bot.send_message(chat_id=i, text=TEXT))
    finally:
        await ptb_bot.shutdown()


async def _timed(n: int, send: Callable[[int], Awaitable[object]]) -> float:
    limit = asyncio.Semaphore(CONCURRENT_CHATS)

    async def one(i: int) -> None:
        async with limit:
            await send(100_000 + i)

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


async def run(backend: str, framework: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, database_url(backend, Path(tmp)) as url:
        engine = migrated_engine(url)
        async with StandInBotAPI() as server:
            app = build(settings(url, server, framework), clock=FixedClock(START), engine=engine)
            await app.open()
            ours: list[float] = []
            bare: list[float] = []
            for round_no in range(ROUNDS):
                fill(app, n, round_no)
                bare.append(await _bare(framework, app.settings.telegram, n))
                ours.append(await _waymark(app, n))
            await app.stop()
        engine.dispose()
    ours_median, bare_median = statistics.median(ours), statistics.median(bare)
    print(
        f"{backend:<10} {framework:<8} n={n}  waymark {ours_median:7.1f} msg/s  "
        f"bare {framework} {bare_median:7.1f} msg/s  ratio {ours_median / bare_median:.2f}  "
        f"(median of {ROUNDS})"
    )


def main() -> None:
    run_everywhere(run)


if __name__ == "__main__":
    main()
