"""The bot's rate limits: how fast it sends, to everyone and to one chat.

Telegram answers 429 (with a retry_after) to a bot that sends more than about 30
messages in any rolling second, or more than 1 a second to one chat. A leaky bucket that
starts full lets 30 through at once and 30 more over the next second: 60 in a rolling
second. So the limiter spaces sends evenly instead: one every `(1 + margin) / rate`
seconds for the bot and for each chat (GCRA with a burst of one). 30 sends then take
1 + margin seconds, and a request that reaches Telegram up to `margin` seconds later than
the one 30 before it still does not make 31 in Telegram's second.

A turn is a reservation of the bot's next free moment, granted only when that moment is
also free for the chat: both spacings are kept at the moment the message really leaves
(taking the chat's turn first and the bot's after would let a queue for the bot squeeze
two messages to one chat together). A turn not granted takes nothing; its caller asks
again when the chat is free. A 429 moves the chat's next free moment on by its
retry_after; 429s in several chats within a second move the bot's (`BotWide`).

`decide` is the whole algorithm; each limiter keeps its state somewhere else: this
module's `LocalLimiter` in the process (one worker, SQLite), `limits_postgres` in a table
and `limits_redis` in Redis, for every worker of one bot.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.settings import SendingSettings

BOT_WIDE_CHATS = 3  # 429s in this many chats within BOT_WIDE_SECONDS pause the whole bot
BOT_WIDE_SECONDS = 1.0
FORGET_AFTER = 10_000  # chats remembered before the ones free again are forgotten


class SendLimiter(Protocol):
    async def turn(self, chat_id: str) -> None:
        """Wait until a message to `chat_id` may go, and take that moment."""
        ...

    async def pause(self, chat_id: str, seconds: float) -> None:
        """Telegram said 429 for `chat_id`: nothing goes there (or, bot-wide, anywhere)
        for `seconds`, from any worker that shares this limiter."""
        ...

    async def close(self) -> None:
        """Let go of connections."""
        ...


@dataclass(frozen=True)
class Spacing:
    """Seconds between two sends of the bot, and between two sends to one chat."""

    bot: float
    chat: float

    @classmethod
    def of(cls, settings: SendingSettings) -> Spacing:
        window = 1.0 + settings.window_margin
        return cls(window / settings.per_second, window / settings.per_chat_per_second)


@dataclass(frozen=True)
class Turn:
    """`granted`: send in `wait` seconds, and the next free moments become `bot_next` and
    `chat_next`. Not granted: nothing was taken; ask again in `wait` seconds."""

    granted: bool
    wait: float
    bot_next: float
    chat_next: float


def decide(now: float, bot_next: float, chat_next: float, spacing: Spacing) -> Turn:
    """The turn of a send asked for at `now`, given the bot's and the chat's next free
    moments (all in seconds on one clock)."""
    at = max(now, bot_next)
    if at < chat_next:  # the chat is not free when the bot is: ask again when it is
        return Turn(False, chat_next - at, bot_next, chat_next)
    return Turn(True, at - now, at + spacing.bot, at + spacing.chat)


def paused(now: float, next_free: float, seconds: float) -> float:
    """The next free moment after a 429 that asked for `seconds`."""
    return max(next_free, now + seconds)


def chat_key(scope: str, chat_id: str) -> str:
    """A shared limiter's key for a chat: hashed, so its store holds no chat id."""
    digest = hashlib.blake2b(chat_id.encode(), digest_size=10).hexdigest()
    return f"{scope}:c:{digest}"


class BotWide:
    """Says when 429s have come from enough different chats at once to be the bot's
    limit rather than one chat's (Telegram's answer does not say which)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._recent: deque[tuple[float, str]] = deque()

    def hit(self, chat_id: str) -> bool:
        now = self._clock()
        self._recent.append((now, chat_id))
        while self._recent and self._recent[0][0] < now - BOT_WIDE_SECONDS:
            self._recent.popleft()
        return len({chat for _, chat in self._recent}) >= BOT_WIDE_CHATS


async def wait_for_turn(ask: Callable[[], Awaitable[Turn]]) -> None:
    """Ask for turns until one is granted, then wait for its moment."""
    while True:
        turn = await ask()
        if turn.wait > 0:
            await asyncio.sleep(turn.wait)
        if turn.granted:
            return


class LocalLimiter:
    """The limits kept in this process: right for one worker (SQLite)."""

    def __init__(self, settings: SendingSettings, clock: Callable[[], float] = time.monotonic):
        self._spacing = Spacing.of(settings)
        self._clock = clock
        self._bot = 0.0
        self._chats: dict[str, float] = {}
        self._bot_wide = BotWide(clock)

    async def _ask(self, chat_id: str) -> Turn:
        turn = decide(self._clock(), self._bot, self._chats.get(chat_id, 0.0), self._spacing)
        if turn.granted:
            self._bot = turn.bot_next
            self._remember(chat_id, turn.chat_next)
        return turn

    async def turn(self, chat_id: str) -> None:
        await wait_for_turn(lambda: self._ask(chat_id))

    async def pause(self, chat_id: str, seconds: float) -> None:
        now = self._clock()
        self._remember(chat_id, paused(now, self._chats.get(chat_id, 0.0), seconds))
        if self._bot_wide.hit(chat_id):
            self._bot = paused(now, self._bot, seconds)

    async def close(self) -> None:
        """Nothing to let go of."""

    def _remember(self, chat_id: str, next_free: float) -> None:
        if len(self._chats) >= FORGET_AFTER:  # a chat free again is as good as unknown
            now = self._clock()
            self._chats = {chat: at for chat, at in self._chats.items() if at > now}
        self._chats[chat_id] = next_free
