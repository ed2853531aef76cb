"""The bot's rate limits kept in PostgreSQL, so that every worker of one bot shares them.

Each key of the ``send_limit`` table (the bot's, and one per chat, hashed) holds the
next moment a message may go, in seconds on the database's clock (one clock for every
worker, whatever theirs say). A turn is one short transaction: lock the bot's row and
the chat's (always in that order, so two turns never deadlock), read the clock, decide
(bot/channels/limits.py ``decide``), move both rows on if granted. The worker then waits
out the turn on its own. A 429 moves the chat's row (or the bot's) on by retry_after:
every worker's next turn for that chat waits for it.

Why not a library: PyrateLimiter has a PostgreSQL bucket, but it counts each key on its
own (no turn that must be free for the bot and for the chat at one moment), its waits
are retries of a full bucket rather than a place in the queue, and it cannot be told
"Telegram said wait 7 s". The part written here is the ~20 lines of SQL around `decide`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine, Float, delete, func, literal_column, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col

from bot.channels.base import Transient
from bot.channels.limits import BotWide, Spacing, Turn, chat_key, decide, wait_for_turn
from bot.models import SendLimit
from bot.settings import SendingSettings

log = logging.getLogger(__name__)
T = TypeVar("T")
PRUNE_EVERY = 600.0  # seconds between sweeps of chats not written to for KEEP_SECONDS
KEEP_SECONDS = 3600.0
_NOW = literal_column("extract(epoch FROM clock_timestamp())", Float)


class PostgresLimiter:
    def __init__(self, engine: Engine, settings: SendingSettings, scope: str) -> None:
        self._engine = engine
        self._spacing = Spacing.of(settings)
        self._scope = scope
        self._bot = f"{scope}:bot"
        self._bot_wide = BotWide()
        self._pruned = time.monotonic()

    async def turn(self, chat_id: str) -> None:
        key = chat_key(self._scope, chat_id)
        await wait_for_turn(lambda: self._off_loop(self._ask, key))

    async def pause(self, chat_id: str, seconds: float) -> None:
        keys = [chat_key(self._scope, chat_id)]
        if self._bot_wide.hit(chat_id):
            keys.append(self._bot)
        try:
            for key in keys:  # one row a transaction: no lock order to get wrong
                await self._off_loop(self._pause, key, seconds)
        except Transient:  # not kept: at worst another 429, which pauses again
            log.warning("a 429's pause was not shared", extra={"seconds": seconds})

    async def close(self) -> None:
        """The engine is the application's: nothing of its own to let go of."""

    async def _off_loop(self, call: Callable[..., T], *args: object) -> T:
        try:
            return await asyncio.to_thread(call, *args)
        except SQLAlchemyError as error:
            raise Transient(f"rate limits unreachable: {type(error).__name__}") from error

    def _ask(self, key: str) -> Turn:
        with self._engine.begin() as connection:
            rows = self._locked(connection, key)
            if len(rows) < 2:  # a chat (or the bot) seen for the first time
                connection.execute(
                    insert(SendLimit)
                    .values([{"key": k, "next_at": 0.0} for k in (self._bot, key) if k not in rows])
                    .on_conflict_do_nothing()
                )
                rows = self._locked(connection, key)
            now = float(connection.execute(select(_NOW)).scalar_one())
            turn = decide(now, rows[self._bot], rows[key], self._spacing)
            if turn.granted:
                for row_key, next_at in ((self._bot, turn.bot_next), (key, turn.chat_next)):
                    row = col(SendLimit.key) == row_key
                    connection.execute(update(SendLimit).where(row).values(next_at=next_at))
        self._prune_now_and_then()
        return turn

    def _locked(self, connection: Connection, key: str) -> dict[str, float]:
        rows = connection.execute(
            select(col(SendLimit.key), col(SendLimit.next_at))
            .where(col(SendLimit.key).in_([self._bot, key]))
            .order_by(col(SendLimit.key))
            .with_for_update()
        ).all()
        return {row_key: float(next_at) for row_key, next_at in rows}

    def _pause(self, key: str, seconds: float) -> None:
        until = _NOW + seconds
        with self._engine.begin() as connection:
            connection.execute(
                insert(SendLimit)
                .values(key=key, next_at=until)
                .on_conflict_do_update(
                    index_elements=["key"],
                    set_={"next_at": func.greatest(SendLimit.next_at, until)},
                )
            )

    def _prune_now_and_then(self) -> None:
        """Forget chats not written to for an hour: a row in the past is no limit."""
        if time.monotonic() - self._pruned < PRUNE_EVERY:
            return
        self._pruned = time.monotonic()
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    delete(SendLimit)
                    .where(col(SendLimit.key).startswith(f"{self._scope}:c:"))
                    .where(col(SendLimit.next_at) < _NOW - KEEP_SECONDS)
                )
        except SQLAlchemyError as error:  # the next sweep tries again
            log.warning("old rate limits not swept", extra={"error": type(error).__name__})
