"""Sending through any channel within the rate limits, with bounded retries.

A limiter (bot/channels/limits.py) gives each send its turn, within the bot's limit and
its chat's, shared by every worker when it is kept in PostgreSQL or Redis. A 429 pauses
the chat (for every worker sharing the limiter) for its retry_after, and the next try
waits its turn after that pause; a retry_after longer than SEND_MAX_RETRY_AFTER is not
waited for here (the outbox tries the row again later). Time-outs and 5xx back off
exponentially; a blocked user or a bad request is not retried. Every wait is the one
send's: other chats' sends go on meanwhile. (The retries are a loop of their own rather
than tenacity's: with the 429's wait in the limiter what is left is a dozen lines, and
tenacity cost 20 times more than the loop for every message, retried or not.)

With a file id store, a file the channel already holds is sent by its id rather than
uploaded again, and the id of a new upload is kept for next time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Protocol, TypeVar

from bot.channels.base import Channel, Rejected, RetryLater, Transient
from bot.channels.limits import LocalLimiter, SendLimiter
from bot.rendering.outgoing import Rendered, Sent
from bot.settings import SendingSettings

T = TypeVar("T")


class FileIdStore(Protocol):
    """Where the channel's ids of uploaded files are kept (bot/channels/file_ids.py)."""

    async def lookup(self, channel: str, sha256: str) -> str | None: ...

    async def remember(self, channel: str, sha256: str, file_id: str, kind: str) -> None: ...

    async def forget(self, channel: str, sha256: str) -> None: ...


class Delivery:
    def __init__(
        self, channel: Channel, settings: SendingSettings, limiter: SendLimiter | None = None
    ) -> None:
        self.channel = channel
        self.settings = settings
        self.limiter = limiter or LocalLimiter(settings)
        self._in_flight = asyncio.Semaphore(settings.concurrency)
        self._files: FileIdStore | None = None

    async def _limited(self, chat_id: str, call: Callable[[], Awaitable[T]]) -> T:
        """`call` in the chat's turn, tried again after a transient failure: at once
        after a 429 (its pause is the wait, kept by every worker), after an exponential
        backoff after a time-out or a 5xx."""
        settings = self.settings
        for attempt in range(1, settings.max_attempts + 1):
            last = attempt == settings.max_attempts
            await self.limiter.turn(chat_id)
            try:
                async with self._in_flight:  # free but when SEND_CONCURRENCY are hung
                    return await call()
            except RetryLater as error:
                await self.limiter.pause(chat_id, error.seconds)
                if last or error.seconds > settings.max_retry_after:
                    raise
            except Transient:
                if last:
                    raise
                await asyncio.sleep(min(settings.backoff_seconds * 2 ** (attempt - 1), 30.0))
        raise AssertionError("unreachable: the last attempt returns or raises")

    def keep_file_ids(self, files: FileIdStore) -> None:
        self._files = files

    async def _send(self, chat_id: str, message: Rendered) -> Sent:
        sent = await self._limited(chat_id, lambda: self.channel.send(chat_id, message))
        return sent if isinstance(sent, Sent) else Sent(sent)

    async def send(self, chat_id: str, message: Rendered) -> Sent:
        media, files, channel = message.media, self._files, self.channel.name
        if media is None or files is None:
            return await self._send(chat_id, message)
        known = media.file_id or await files.lookup(channel, media.sha256)
        if known is not None:
            try:
                by_id = replace(message, media=replace(media, file_id=known))
                return await self._send(chat_id, by_id)
            except Rejected as error:
                if "file" not in str(error).lower():
                    raise
                # "wrong file identifier": the channel no longer knows it (a new bot token,
                # say), so the bytes are uploaded again.
                await files.forget(channel, media.sha256)
        sent = await self._send(chat_id, replace(message, media=replace(media, file_id=None)))
        if sent.file_id is not None:
            await files.remember(channel, media.sha256, sent.file_id, media.kind)
        return sent

    async def close_buttons(self, chat_id: str, message_id: str, text: str | None) -> None:
        await self._limited(chat_id, lambda: self.channel.close_buttons(chat_id, message_id, text))

    async def answer_button(self, query_id: str, text: str | None) -> None:
        # Not a message: outside the per-chat budget, and one try is enough (it expires).
        await self.channel.answer_button(query_id, text)
