"""The bot's rate limits kept in PostgreSQL, so that every worker of one bot shares them.

Each key of the ``send_limit`` table (the bot's, and one per chat, hashed) holds the
next moment a message may go, in seconds on the database's clock (one clock for every
worker, whatever theirs say). A turn is one call of the ``send_turn`` function
(migrations/versions/0008_send_limit.py: bot/channels/limits.py `decide` in SQL), one
round trip and one short transaction; the worker then waits out the turn on its own. A
429 moves the chat's row (or the bot's) on by its retry_after: every worker's next turn
for that chat waits for it.

The limiter has a connection of its own (psycopg's asyncio one, autocommit), not one of
the engine's: a turn is a few hundred microseconds of the event loop, where a pooled
connection in a thread cost several milliseconds of CPU a message. A connection that
fails is opened again at the next turn; the turn that found it broken is a transient
failure of the send (tried again like a time-out).

Why not a library: PyrateLimiter has a PostgreSQL bucket, but it counts each key on its
own (no turn that must be free for the bot and for the chat at one moment), its waits
are retries of a full bucket rather than a place in the queue, and it cannot be told
"Telegram said wait 7 s". What is written here is the function and this module.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import psycopg
from sqlalchemy import Engine

from bot.channels.base import Transient
from bot.channels.limits import BotWide, Spacing, Turn, chat_key, wait_for_turn
from bot.settings import SendingSettings

log = logging.getLogger(__name__)
PRUNE_EVERY = 600.0  # seconds between sweeps of chats not written to for KEEP_SECONDS
KEEP_SECONDS = 3600.0
_TURN = "SELECT granted, wait FROM send_turn(%(bot)s, %(chat)s, %(bot_gap)s, %(chat_gap)s)"
_PAUSE = """
INSERT INTO send_limit (key, next_at)
VALUES (%(key)s, extract(epoch FROM clock_timestamp()) + %(seconds)s)
ON CONFLICT (key) DO UPDATE SET next_at = greatest(send_limit.next_at, excluded.next_at)
"""
_PRUNE = """
DELETE FROM send_limit
WHERE key LIKE %(chats)s AND next_at < extract(epoch FROM clock_timestamp()) - %(keep)s
"""


class PostgresLimiter:
    def __init__(self, engine: Engine, settings: SendingSettings, scope: str) -> None:
        self._dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._spacing = Spacing.of(settings)
        self._scope = scope
        self._bot = f"{scope}:bot"
        self._bot_wide = BotWide()
        self._connection: psycopg.AsyncConnection[tuple[Any, ...]] | None = None
        self._connecting = asyncio.Lock()
        self._pruned = time.monotonic()

    async def turn(self, chat_id: str) -> None:
        key = chat_key(self._scope, chat_id)
        await wait_for_turn(lambda: self._ask(key))

    async def _ask(self, key: str) -> Turn:
        spacing = self._spacing
        params = {"bot": self._bot, "chat": key, "bot_gap": spacing.bot, "chat_gap": spacing.chat}
        row = await self._run(_TURN, params)
        if row is None:  # the function always answers one row; none means a broken install
            raise RuntimeError("send_turn answered no row")
        granted, wait = row
        await self._prune_now_and_then()
        return Turn(bool(granted), float(wait), 0.0, 0.0)  # (the next moments stay there)

    async def pause(self, chat_id: str, seconds: float) -> None:
        keys = [chat_key(self._scope, chat_id)]
        if self._bot_wide.hit(chat_id):
            keys.append(self._bot)
        try:
            for key in keys:  # one row a statement: no lock order to get wrong
                await self._run(_PAUSE, {"key": key, "seconds": float(seconds)})
        except Transient:  # not kept: at worst another 429, which pauses again
            log.warning("a 429's pause was not shared", extra={"seconds": seconds})

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def _run(self, sql: str, params: dict[str, object]) -> tuple[Any, ...] | None:
        try:
            connection = await self._connected()
            cursor = await connection.execute(sql, params)
            return await cursor.fetchone() if cursor.description else None
        except psycopg.Error as error:
            await self.close()  # opened again at the next turn
            raise Transient(f"rate limits unreachable: {type(error).__name__}") from error

    async def _connected(self) -> psycopg.AsyncConnection[tuple[Any, ...]]:
        async with self._connecting:
            if self._connection is None or self._connection.closed:
                self._connection = await psycopg.AsyncConnection.connect(self._dsn, autocommit=True)
            return self._connection

    async def _prune_now_and_then(self) -> None:
        """Forget chats not written to for an hour: a row in the past is no limit."""
        if time.monotonic() - self._pruned < PRUNE_EVERY:
            return
        self._pruned = time.monotonic()
        try:
            await self._run(_PRUNE, {"chats": f"{self._scope}:c:%", "keep": KEEP_SECONDS})
        except Transient:  # the next sweep tries again
            log.warning("old rate limits not swept")
