"""The web chat as a channel, like Telegram: sending keeps the message in the database
(webchat_message, its file once in webchat_file) and wakes the pages that show the chat.

A page served by this process is woken at once by the Bell; one served by another
process finds the message by asking for messages after the last it has (WebchatFeed
asks every few seconds), so any worker can send and any worker can serve the page.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import SQLAlchemyError

from bot.channels.base import Rejected, Transient
from bot.domain.clock import Clock
from bot.rendering.outgoing import Rendered, Sent
from bot.services import webchat
from bot.storage import UnitOfWorkFactory, committed

CHANNEL = webchat.CHANNEL
ANSWERS_KEPT = 1_000  # toasts waiting for the press that asked for them


class Bell:
    """Wakes the pages of a chat that listen in this process."""

    def __init__(self) -> None:
        self._listening: dict[str, set[asyncio.Event]] = {}
        self.closed = False

    def ring(self, chat_id: str) -> None:
        for event in self._listening.get(chat_id, ()):
            event.set()

    @contextmanager
    def listen(self, chat_id: str) -> Iterator[asyncio.Event]:
        """An event set whenever the chat changes (and when the bell is closed)."""
        event = asyncio.Event()
        self._listening.setdefault(chat_id, set()).add(event)
        if self.closed:
            event.set()
        try:
            yield event
        finally:
            waiting = self._listening.get(chat_id)
            if waiting is not None:
                waiting.discard(event)
                if not waiting:
                    del self._listening[chat_id]

    def close(self) -> None:
        """The server is stopping: every listener wakes and ends."""
        self.closed = True
        for events in self._listening.values():
            for event in events:
                event.set()


class WebchatChannel:
    name = CHANNEL

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, bell: Bell) -> None:
        self._uow = uow
        self._clock = clock
        self.bell = bell
        self._answers: OrderedDict[str, str | None] = OrderedDict()

    async def send(self, chat_id: str, message: Rendered) -> Sent:
        try:
            row_id = await asyncio.to_thread(self._store, chat_id, message)
        except SQLAlchemyError as error:  # the database is this channel's API
            raise Transient(f"web chat not stored: {type(error).__name__}") from error
        self.bell.ring(chat_id)
        return Sent(str(row_id))

    async def close_buttons(self, chat_id: str, message_id: str, text: str | None) -> None:
        if not message_id.isdigit():
            raise Rejected("message to edit not found")
        try:
            closed = await asyncio.to_thread(self._close, chat_id, int(message_id), text)
        except SQLAlchemyError as error:
            raise Transient(f"web chat not edited: {type(error).__name__}") from error
        if not closed:
            raise Rejected("message to edit not found")
        self.bell.ring(chat_id)

    def _store(self, chat_id: str, message: Rendered) -> int:
        with committed(self._uow) as uow:  # one send, one unit of work
            return webchat.store(uow, self._clock, chat_id, message)

    def _close(self, chat_id: str, message_id: int, text: str | None) -> bool:
        with committed(self._uow) as uow:
            return webchat.close(uow, chat_id, message_id, text)

    async def answer_button(self, query_id: str, text: str | None) -> None:
        """Kept for the press that is waiting for it (WebchatIntake.press)."""
        self._answers[query_id] = text
        while len(self._answers) > ANSWERS_KEPT:
            self._answers.popitem(last=False)

    def answer_for(self, query_id: str) -> str | None:
        return self._answers.pop(query_id, None)

    async def set_commands(self, commands: dict[str, str]) -> None:
        """The page has no command menu: /help and the rest are typed or pressed."""
