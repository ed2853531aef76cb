"""The order in which updates are handled: one chat at a time, many chats side by side.
Shared by both Telegram adapters, the webhook and the web chat."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger(__name__)
ChatKey = int | str  # a Telegram chat's number, or another channel's chat id


class ChatOrder:
    """Updates of one chat are handled one at a time, in the order they reached `hold`
    (or `spawn`); updates of different chats run side by side.

    Order holds because asyncio locks are fair (first come, first served) and callers
    reach `hold` before their first suspension: a task is started for each update in
    the order the updates arrived, and its first step is to queue for its chat's lock.
    """

    def __init__(self) -> None:
        # chat -> its lock and how many updates hold it or wait for it. The count, not
        # lock.locked(), says when to forget a chat: a released lock reads unlocked for
        # a moment before its next waiter wakes, and a new lock then would let a later
        # update overtake that waiter.
        self._chats: dict[ChatKey, tuple[asyncio.Lock, list[int]]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._busy = 0
        self._quiet = asyncio.Event()
        self._quiet.set()

    @asynccontextmanager
    async def hold(self, chat_id: ChatKey | None) -> AsyncIterator[None]:
        """Wait for the chat's earlier updates, then run the body as its only one."""
        self._enter()
        try:
            async with self._turn(chat_id):
                yield
        finally:
            self._leave()

    def spawn(self, chat_id: ChatKey | None, job: Coroutine[Any, Any, None]) -> None:
        """Run `job` in its own task after the chat's earlier jobs; call in arrival order."""
        self._enter()
        task = asyncio.create_task(self._run(chat_id, job))
        self._tasks.add(task)  # a reference, so the task is not collected while it runs
        task.add_done_callback(self._tasks.discard)

    async def _run(self, chat_id: ChatKey | None, job: Coroutine[Any, Any, None]) -> None:
        try:
            async with self._turn(chat_id):
                try:
                    await job
                except Exception:  # one bad update must not stop the chat's next one
                    log.exception("update failed", extra={"chat_id": chat_id})
        finally:
            self._leave()

    @asynccontextmanager
    async def _turn(self, chat_id: ChatKey | None) -> AsyncIterator[None]:
        if chat_id is None:
            yield
            return
        lock, users = self._chats.setdefault(chat_id, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._chats[chat_id]

    def _enter(self) -> None:
        self._busy += 1
        self._quiet.clear()

    def _leave(self) -> None:
        self._busy -= 1
        if self._busy == 0:
            self._quiet.set()

    @property
    def busy(self) -> int:
        """Updates being handled or waiting for their chat."""
        return self._busy

    async def drain(self) -> None:
        """Wait until every update handed in so far has been handled."""
        await self._quiet.wait()
