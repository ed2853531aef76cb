"""What the two Telegram adapters (python-telegram-bot and aiogram) share: the updates
the bot asks for, how the parts of an update become an Incoming event, and the order
in which updates are handled (one chat at a time, many chats side by side).

Each adapter only reads its framework's objects and hands the plain parts to
`typed` or `pressed`, so a rule about what the bot answers lives here, once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from bot.channels.base import ChatRef, Pressed
from bot.flows.types import Incoming, Kind

log = logging.getLogger(__name__)
CHANNEL = "telegram"
PRIVATE = "private"
# All the bot reads: messages and button presses. Edits, reactions, member changes and
# the rest never arrive (and are ignored if they are posted to the webhook anyway).
ALLOWED_UPDATES = ("message", "callback_query")

Translated = tuple[ChatRef, Incoming, Pressed | None]
ChatKey = int | str  # a Telegram chat's number, or another channel's chat id


def typed(
    chat_id: int, chat_type: str, text: str | None, voice_id: str | None = None
) -> Translated | None:
    """A message the person sent: text (or a command), or anything else as media, with
    a voice note's file id (so it can be sent on to the coach). Groups and channels get
    nothing: the bot only talks one to one."""
    if chat_type != PRIVATE:
        return None
    ref = ChatRef(CHANNEL, str(chat_id))
    if text is not None:
        return ref, Incoming.from_text(text), None
    return ref, Incoming(Kind.MEDIA, media_id=voice_id or ""), None


def pressed(
    chat_id: int,
    chat_type: str,
    query_id: str,
    data: str | None,
    shown: tuple[int, str | None] | None,
) -> Translated | None:
    """A button press. `shown` is the pressed message's id and words when Telegram still
    has the message (an old one is "inaccessible": the press is answered, nothing edited)."""
    if chat_type != PRIVATE:
        return None
    message_id, text = (str(shown[0]), shown[1]) if shown is not None else (None, None)
    incoming = Incoming(Kind.BUTTON, button=data or "")
    return ChatRef(CHANNEL, str(chat_id)), incoming, Pressed(query_id, message_id, text)


def chat_of(raw: dict[str, Any]) -> int | None:
    """The chat of a raw update (a message's, or a pressed message's), if it has one."""
    message = raw.get("message")
    if not isinstance(message, dict):
        query = raw.get("callback_query")
        message = query.get("message") if isinstance(query, dict) else None
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    return chat_id if isinstance(chat_id, int) else None


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
