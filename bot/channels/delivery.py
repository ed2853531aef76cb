"""Sending through any channel within the rate limits, with bounded retries.

aiolimiter gives the leaky buckets (one for the bot token, one per chat) and tenacity
the retry policy: a 429 waits the server's retry_after (capped), timeouts and 5xx back
off exponentially, and a blocked user or a bad request is not retried.

With a file id store, a file the channel already holds is sent by its id rather than
uploaded again, and the id of a new upload is kept for next time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Protocol, TypeVar

from aiolimiter import AsyncLimiter
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from bot.channels.base import Channel, Rejected, RetryLater, Transient
from bot.rendering.outgoing import Rendered, Sent
from bot.settings import SendingSettings

T = TypeVar("T")
MAX_CHAT_LIMITERS = 10_000


class FileIdStore(Protocol):
    """Where the channel's ids of uploaded files are kept (bot/services/media_files.py)."""

    async def lookup(self, channel: str, sha256: str) -> str | None: ...

    async def remember(self, channel: str, sha256: str, file_id: str, kind: str) -> None: ...

    async def forget(self, channel: str, sha256: str) -> None: ...


class Delivery:
    def __init__(self, channel: Channel, settings: SendingSettings) -> None:
        self.channel = channel
        self.settings = settings
        self._token = AsyncLimiter(settings.per_second, 1.0)
        self._chats: dict[str, AsyncLimiter] = {}
        self._files: FileIdStore | None = None
        backoff = wait_exponential(multiplier=settings.backoff_seconds, max=30)

        def wait(state: RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, RetryLater):
                return min(error.seconds, settings.max_retry_after)
            return float(backoff(state))

        self._wait = wait

    def _chat_limiter(self, chat_id: str) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            if len(self._chats) >= MAX_CHAT_LIMITERS:  # forget chats whose bucket is empty
                for idle in [k for k, v in self._chats.items() if v.has_capacity(v.max_rate)]:
                    del self._chats[idle]
            limiter = AsyncLimiter(1, 1.0 / self.settings.per_chat_per_second)
            self._chats[chat_id] = limiter
        return limiter

    async def _limited(self, chat_id: str, call: Callable[[], Awaitable[T]]) -> T:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception_type(Transient),
            stop=stop_after_attempt(self.settings.max_attempts),
            wait=self._wait,
            reraise=True,
        ):
            with attempt:
                async with self._chat_limiter(chat_id), self._token:
                    return await call()
        raise AssertionError("unreachable: tenacity re-raises the last error")

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
