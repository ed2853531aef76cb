"""The bot's limits are the bot's: two workers (two Waymarks on one database and one bot,
as two `waymark serve` would be) share one limiter, in PostgreSQL or in Redis, against a
stand-in Bot API that counts Telegram's limits in a rolling window. Together they never
go over the chat's limit or the bot's, and a 429 one of them gets pauses the other.

PostgreSQL runs when TEST_DATABASE_URL is set, Redis when TEST_REDIS_URL is (a database
of its own: the keys of each test carry a bot id of their own)."""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from pydantic import SecretStr
from redis.asyncio import Redis

from bot.channels.limiters import build_limiter
from bot.channels.limits import chat_key
from bot.channels.limits_postgres import PostgresLimiter
from bot.channels.limits_redis import RedisLimiter
from bot.composition import Waymark, build
from bot.models import SendLimit
from bot.rendering.outgoing import Rendered
from bot.settings import Settings
from bot.storage import committed
from tests.conftest import make_settings
from tests.support import due
from tests.support.botapi import StandInBotAPI
from tests.support.botapi_limits import RollingLimits
from tests.support.database import database_url, migrated_engine
from tests.support.fakes import FixedClock

Workers = Callable[[int], Awaitable[list[Waymark]]]
PER_CHAT = 4  # a second: Telegram's 1, sped up for the test
PER_BOT = 20


@pytest.fixture(params=["postgres", "redis"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """Where the limits are kept, and the database the workers share."""
    if request.param == "redis":
        redis_url = os.environ.get("TEST_REDIS_URL")
        if not redis_url:
            pytest.skip("TEST_REDIS_URL is not set: Redis tests skipped")
        return {"limiter": "redis", "redis_url": redis_url, "backend": "sqlite"}
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    return {"limiter": "postgres", "redis_url": "", "backend": "postgresql"}


@pytest.fixture
async def botapi() -> AsyncIterator[StandInBotAPI]:
    """A bot of its own (its id keys the limits) that counts Telegram's limits."""
    async with StandInBotAPI(token=f"{secrets.randbelow(10**9) + 10**9}:SHARED") as server:
        server.limits = RollingLimits(per_bot=PER_BOT, per_chat=PER_CHAT)
        yield server


@pytest.fixture
async def workers(
    shared: dict[str, str], botapi: StandInBotAPI, clock: FixedClock, tmp_path: Path
) -> AsyncIterator[Workers]:
    async with AsyncExitStack() as stack:
        url = stack.enter_context(database_url(shared["backend"], tmp_path))
        engine = migrated_engine(url)
        stack.callback(engine.dispose)

        async def start(count: int) -> list[Waymark]:
            settings = _settings(make_settings(url, botapi), shared)
            apps = [build(settings, clock=clock, engine=engine) for _ in range(count)]
            for app in apps:
                await app.open()
                stack.push_async_callback(app.stop)
            return apps

        yield start


def _settings(settings: Settings, shared: dict[str, str]) -> Settings:
    sending = settings.sending.model_copy(
        update={
            "per_second": PER_BOT,
            "per_chat_per_second": PER_CHAT,
            # Wide enough for a loaded machine's late requests (two workers and the
            # stand-in share its cores); without one shared limiter they would still send
            # twice the limit in a second, so the tests below fail on unshared limits.
            "window_margin": 0.25,
            "limiter": shared["limiter"],
            "redis_url": SecretStr(shared["redis_url"]),
        }
    )
    scheduler = settings.scheduler.model_copy(update={"batch_size": 1})
    return settings.model_copy(update={"sending": sending, "scheduler": scheduler})


async def test_the_workers_share_one_limiter_of_the_kind_asked_for(
    workers: Workers, shared: dict[str, str]
) -> None:
    (app,) = await workers(1)
    assert app.delivery is not None
    kind = {"postgres": PostgresLimiter, "redis": RedisLimiter}[shared["limiter"]]
    assert isinstance(app.delivery.limiter, kind)
    assert isinstance(build_limiter(app.settings, app.engine), kind)


async def test_two_workers_together_keep_one_chats_limit(
    workers: Workers, botapi: StandInBotAPI
) -> None:
    one, other = await workers(2)
    (person,) = due.linked(one, 1)
    due.notes_due(one, person, 6)
    reports = await asyncio.gather(one.dispatcher.tick(), other.dispatcher.tick())
    assert sum(report.counts["sent"] for report in reports) == 6
    assert all(report.counts["sent"] > 0 for report in reports)  # both sent to the chat
    assert botapi.limits is not None
    assert botapi.limits.refused == {}  # no 429: never 5 in a rolling second, between them


async def test_two_workers_together_keep_the_bots_limit(
    workers: Workers, botapi: StandInBotAPI
) -> None:
    one, other = await workers(2)
    for person in due.linked(one, 30):
        due.notes_due(one, person, 1)
    reports = await asyncio.gather(one.dispatcher.tick(), other.dispatcher.tick())
    assert sum(report.counts["sent"] for report in reports) == 30
    assert all(report.counts["sent"] > 0 for report in reports)
    assert botapi.limits is not None
    assert botapi.limits.refused == {}  # 20 a second between them, not 20 each


async def test_a_429_one_worker_gets_pauses_the_others_sends_to_that_chat(
    workers: Workers, botapi: StandInBotAPI, shared: dict[str, str]
) -> None:
    one, other = await workers(2)
    assert one.delivery is not None
    assert other.delivery is not None
    chat = "5001"
    botapi.fail_next("sendMessage", 429, retry_after=1, chat_id=int(chat))
    first = asyncio.create_task(one.delivery.send(chat, Rendered("one")))
    (refusal,) = await botapi.wait_for("sendMessage")
    assert refusal.status == 429
    await _pause_kept(one, shared, chat)
    await other.delivery.send(chat, Rendered("two"))  # the other worker, after the 429
    await first
    accepted = [c.time for c in botapi.calls_to("sendMessage") if c.status == 200]
    assert len(accepted) == 2
    assert min(accepted) - refusal.time >= 0.8  # both waited the retry_after out


async def _pause_kept(app: Waymark, shared: dict[str, str], chat: str) -> None:
    """Wait (at most 5 s) until the shared store holds the chat's pause."""
    scope = f"telegram:{app.settings.telegram.bot_token.get_secret_value().split(':')[0]}"
    for _ in range(500):
        if await _next_free(app, shared, scope, chat) > time.time() + 0.5:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the 429's pause did not reach the shared limiter")


async def _next_free(app: Waymark, shared: dict[str, str], scope: str, chat: str) -> float:
    if shared["limiter"] == "redis":
        client = Redis.from_url(shared["redis_url"])
        try:
            value = await client.get(chat_key("waymark:{" + scope + "}", chat))
        finally:
            await client.aclose()
        return float(value or 0)
    with committed(app.uow) as uow:
        row = uow.session.get(SendLimit, chat_key(scope, chat))
    return row.next_at if row is not None else 0.0
