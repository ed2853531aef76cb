"""The faults a test injects into the stand-in Bot API: error answers (429 with
retry_after, 403, 5xx), blocked chats, delays, and requests held until the test lets them
go, to exercise a client's retries on the test's signal rather than a timer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from tests.support.botapi.wire import ERRORS, JSON, BotAPIError, ChatId

_SEND_PREFIXES = ("send", "copy", "forward", "edit")


@dataclass
class Held:
    """A request the server keeps waiting (``StandInBotAPI.hold``): `arrived` is set when it
    comes in; it is answered (faults applied then) once the test calls ``release()``."""

    method: str
    chat_id: ChatId | None
    arrived: asyncio.Event
    released: asyncio.Event

    def release(self) -> None:
        self.released.set()


@dataclass
class _Fault:
    method: str
    times: int
    error: BotAPIError
    chat_id: ChatId | None


class Faults:
    """What a test tells the stand-in to get wrong; StandInBotAPI applies it to every call."""

    def __init__(self) -> None:
        self._faults: list[_Fault] = []
        self._delays: list[tuple[str, float, list[int]]] = []
        self._holds: list[Held] = []
        self._blocked: set[ChatId] = set()

    def fail_next(
        self,
        method: str,
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
        chat_id: ChatId | None = None,
    ) -> None:
        if status == 429:
            seconds = 1 if retry_after is None else retry_after
            text = description or f"Too Many Requests: retry after {seconds}"
            error = BotAPIError(429, text, {"retry_after": seconds})
        else:
            error = BotAPIError(status, description or ERRORS.get(status, f"Error {status}"))
        self._faults.append(_Fault(method.lower(), times, error, chat_id))

    def block_chat(self, chat_id: ChatId) -> None:
        self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: ChatId) -> None:
        self._blocked.discard(chat_id)

    def delay(self, method: str, seconds: float, times: int = 1) -> None:
        self._delays.append((method.lower(), seconds, [times]))

    def hold(self, method: str, *, chat_id: ChatId | None = None) -> Held:
        """The next call to `method` (in `chat_id`, if given) waits until released: a slow
        Telegram, on the test's signal rather than a timer."""
        held = Held(method.lower(), chat_id, asyncio.Event(), asyncio.Event())
        self._holds.append(held)
        return held

    async def apply_delay(self, method: str) -> None:
        for name, seconds, left in self._delays:
            if name == method.lower() and left[0] > 0:
                left[0] -= 1
                await asyncio.sleep(seconds)
                return

    async def apply_hold(self, method: str, params: JSON) -> None:
        for held in self._holds:
            if held.method == method.lower() and held.chat_id in (None, params.get("chat_id")):
                self._holds.remove(held)
                held.arrived.set()
                await held.released.wait()
                return

    def apply_faults(self, method: str, params: JSON) -> None:
        chat_id = params.get("chat_id")
        if chat_id in self._blocked and method.lower().startswith(_SEND_PREFIXES):
            raise BotAPIError(403, ERRORS[403])
        for fault in self._faults:
            if (
                fault.method == method.lower()
                and fault.times > 0
                and fault.chat_id in (None, chat_id)
            ):
                fault.times -= 1
                raise fault.error
