"""One lane per chat: its rows are sent one after another, in the order they were
claimed, while every other chat's rows go on in their own lanes.

A lane is a task that lives while its chat has rows waiting. A 429 for one chat, a
retry after a 5xx, a request that hangs until its time-out: each holds up only its own
lane. How fast the lanes go together is the limiter's business (bot/channels/limits.py),
not a batch's: there is no batch to wait for.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
LaneKey = tuple[str, str]  # channel, chat id


class Lanes(Generic[T]):
    def __init__(self, send: Callable[[T], Awaitable[None]]) -> None:
        self._send = send
        self._lanes: dict[LaneKey, deque[T]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def put(self, key: LaneKey, item: T) -> None:
        """Queue `item` behind the chat's earlier ones; start its lane if it has none."""
        lane = self._lanes.get(key)
        if lane is not None:
            lane.append(item)
            return
        self._lanes[key] = deque([item])
        task = asyncio.create_task(self._drain(key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self, key: LaneKey) -> None:
        lane = self._lanes[key]
        try:
            while lane:
                await self._send(lane[0])
                lane.popleft()
        finally:
            del self._lanes[key]

    @property
    def busy(self) -> int:
        """Chats with a row being sent or waiting."""
        return len(self._lanes)

    async def close(self) -> None:
        """Stop every lane (shutdown): rows not sent come back after their lease."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
