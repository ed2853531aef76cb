"""Telegram's flood limits for the stand-in Bot API, counted in a rolling window.

Off unless a test or bench sets ``server.limits = RollingLimits()``. Then a message
(``send*``, ``copyMessage``, ``forwardMessage``) is refused with 429 and a retry_after
when the bot has had `per_bot` messages accepted in the last `window` seconds, or the
chat `per_chat`: any rolling second, not seconds on the clock's boundaries, so a limiter
that lets a burst through at the start of each second is caught. A request is counted
when it reaches the server (after injected faults, which are not counted), and a refused
one is not counted. `refused` says how many of each were refused.
"""

from __future__ import annotations

import math
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Any

_MESSAGES = ("send", "copymessage", "forwardmessage")


class RollingLimits:
    def __init__(
        self,
        per_bot: int = 30,
        per_chat: int = 1,
        window: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_bot, self.per_chat, self.window = per_bot, per_chat, window
        self._clock = clock
        self._bot: deque[float] = deque()
        self._chats: dict[Any, deque[float]] = {}
        self.refused: Counter[str] = Counter()  # "bot" and "chat"

    def refuse(self, method: str, params: dict[str, Any]) -> int | None:
        """The retry_after (whole seconds, as Telegram gives it) if this request is over a
        limit; None, and the request counted, if it may go."""
        if not method.lower().startswith(_MESSAGES) or method.lower() == "sendchataction":
            return None
        now = self._clock()
        chat = self._chats.setdefault(params.get("chat_id"), deque())
        for sent in (self._bot, chat):
            while sent and sent[0] <= now - self.window:
                sent.popleft()
        for name, sent, limit in (("bot", self._bot, self.per_bot), ("chat", chat, self.per_chat)):
            if len(sent) >= limit:
                self.refused[name] += 1
                return max(1, math.ceil(sent[-limit] + self.window - now))
        self._bot.append(now)
        chat.append(now)
        return None
