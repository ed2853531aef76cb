"""How fast the real dispatcher sends due reminders, against a bare send loop.

    uv run python -m bench.dispatch [N]

N due reminders (one per person) go through the whole path: claim, render per profile,
the Telegram framework to the stand-in Bot API server on loopback, record. The baseline
is the same framework's bare Bot sending N messages to the same server with as many
requests in flight as Waymark allows itself (SEND_CONCURRENCY), in the same run. Rate
limits are lifted for both. A second baseline sends the very messages Waymark sends
(their words and buttons: Telegram's answer to a message with buttons is larger too)
through the framework and the adapter's translation, and nothing else: no claim, record,
limiter or retry. Prints messages per second and both ratios, for python-telegram-bot
and aiogram; on PostgreSQL too when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import update
from sqlmodel import col

from bench.population import START, fill, run_everywhere, settings
from bot.channels.telegram import aiogram_adapter, ptb_adapter
from bot.composition import Waymark, build
from bot.models import OutboxMessage, OutboxStatus
from bot.rendering.outgoing import Rendered
from scheduler.preparing import OutboxPreparer, Ready
from tests.support.botapi import StandInBotAPI
from tests.support.database import database_url, migrated_engine
from tests.support.fakes import FixedClock

ROUNDS = 3
TEXT = "Sam, soon: a reminder."


async def _bare(framework: str, app: Waymark, n: int) -> float:
    """The framework's own Bot, nothing else: n messages, as many at a time as Waymark
    sends (SEND_CONCURRENCY)."""
    telegram, concurrency = app.settings.telegram, app.settings.sending.concurrency
    if framework == "aiogram":
        aiogram_bot = aiogram_adapter.build_bot(telegram)
        try:
            send = lambda i: aiogram_bot.send_message(chat_id=i, text=TEXT)  # noqa: E731
            return await _timed(n, concurrency, send)
        finally:
            await aiogram_bot.session.close()
    ptb_bot = ptb_adapter.build_bot(telegram)
    await ptb_bot.initialize()
    try:
        return await _timed(n, concurrency, lambda i: ptb_bot.send_message(chat_id=i, text=TEXT))
    finally:
        await ptb_bot.shutdown()


async def _timed(n: int, concurrency: int, send: Callable[[int], Awaitable[object]]) -> float:
    limit = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with limit:
            await send(100_000 + i)

    began = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    return n / (time.perf_counter() - began)


async def _same_messages(app: Waymark, n: int) -> list[tuple[str, Rendered]]:
    """The messages the dispatcher would send now, rendered, with their rows left due."""
    claim = await asyncio.to_thread(app.dispatcher.claim, n)
    preparer = OutboxPreparer(app.uow, app.clock, app.renderer, app.media)
    prepared = await asyncio.to_thread(preparer.prepare, claim.token, claim.ids)
    with app.uow() as uow:
        uow.session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(claim.ids))
            .values(status=OutboxStatus.PENDING, claim_token=None, claimed_until=None, attempts=0)
        )
        uow.commit()
    return [
        (item.chat_id, await preparer.make(item)) for item in prepared if isinstance(item, Ready)
    ]


async def _bare_same(app: Waymark, messages: list[tuple[str, Rendered]]) -> float:
    """The same messages (words and buttons), through the framework and the adapter's
    translation to it, and nothing else: no claim, no record, no limiter, no retry."""
    assert app.delivery is not None
    channel = app.delivery.channel
    concurrency = app.settings.sending.concurrency
    return await _timed(len(messages), concurrency, lambda i: channel.send(*messages[i - 100_000]))


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
            same: list[float] = []
            for round_no in range(ROUNDS):
                fill(app, n, round_no)
                bare.append(await _bare(framework, app, n))
                same.append(await _bare_same(app, await _same_messages(app, n)))
                ours.append(await _waymark(app, n))
            await app.stop()
        engine.dispose()
    ours_median = statistics.median(ours)
    bare_median, same_median = statistics.median(bare), statistics.median(same)
    print(
        f"{backend:<10} {framework:<8} n={n}  waymark {ours_median:6.1f} msg/s  "
        f"bare {bare_median:6.1f} msg/s  ratio {ours_median / bare_median:.2f}  "
        f"bare, same messages {same_median:6.1f} msg/s  ratio {ours_median / same_median:.2f}  "
        f"(median of {ROUNDS})"
    )


def main() -> None:
    run_everywhere(run)


if __name__ == "__main__":
    main()
