"""What a web chat page shows: the messages so far, their files, and live changes.

`follow` is the live stream behind the page's Server-Sent Events: every new message (its
id is the stream's position, so a page that reconnects with Last-Event-ID misses
nothing), and every shown message whose buttons were taken off since. It wakes at once
when this process sends to the chat (the Bell) and asks the database again every
`poll_seconds` in any case, for what another process sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import suppress
from dataclasses import dataclass

from bot.channels.webchat.channel import Bell
from bot.models import WebchatFile, WebchatMessage
from bot.services import webchat
from bot.storage import UnitOfWorkFactory
from bot.storage.rows import saved_id

POLL_SECONDS = 3.0


@dataclass(frozen=True)
class Change:
    row: WebchatMessage
    new: bool  # a new message; otherwise one the page has, now with its buttons closed


@dataclass(frozen=True)
class _Step:
    changes: list[Change]
    last_id: int
    watching: set[int]
    more: bool  # a full page came: ask again at once


class WebchatFeed:
    def __init__(
        self, uow: UnitOfWorkFactory, bell: Bell, poll_seconds: float = POLL_SECONDS
    ) -> None:
        self._uow = uow
        self._bell = bell
        self.poll_seconds = poll_seconds

    async def exists(self, chat_id: str) -> bool:
        return await asyncio.to_thread(self._exists, chat_id)

    async def messages(self, chat_id: str, after: int | None) -> list[WebchatMessage]:
        """The newest messages (`after` None), or those after a message id, oldest first."""
        return await asyncio.to_thread(self._messages, chat_id, after)

    async def file(self, chat_id: str, sha256: str) -> WebchatFile | None:
        return await asyncio.to_thread(self._file, chat_id, sha256)

    async def follow(self, chat_id: str, last_id: int) -> AsyncIterator[Change]:
        """Changes after `last_id`, as they happen, until the bell is closed."""
        watching: set[int] | None = None
        with self._bell.listen(chat_id) as rung:
            while not self._bell.closed:
                rung.clear()
                step = await asyncio.to_thread(self._step, chat_id, last_id, watching)
                for change in step.changes:
                    yield change
                last_id, watching = step.last_id, step.watching
                if not step.more:
                    with suppress(TimeoutError):
                        await asyncio.wait_for(rung.wait(), self.poll_seconds)

    def close(self) -> None:
        """The server is stopping: every stream ends, so it can."""
        self._bell.close()

    def _exists(self, chat_id: str) -> bool:
        with self._uow() as uow:
            return webchat.chat_exists(uow.session, chat_id)

    def _messages(self, chat_id: str, after: int | None) -> list[WebchatMessage]:
        with self._uow() as uow:
            if after is None:
                return webchat.latest(uow.session, chat_id)
            return webchat.after(uow.session, chat_id, after)

    def _file(self, chat_id: str, sha256: str) -> WebchatFile | None:
        with self._uow() as uow:
            return webchat.file_for_chat(uow.session, chat_id, sha256)

    def _step(self, chat_id: str, last_id: int, watching: set[int] | None) -> _Step:
        with self._uow() as uow:
            session = uow.session
            if watching is None:  # a page (back) at last_id: which of its buttons closed?
                looked = webchat.with_buttons_up_to(session, chat_id, last_id)
            else:
                looked = webchat.by_ids(session, chat_id, watching)
            changes = [Change(row, new=False) for row in sorted(looked, key=saved_id) if row.closed]
            still_open = {saved_id(row) for row in looked if not row.closed}
            new = webchat.after(session, chat_id, last_id)
        changes += [Change(row, new=True) for row in new]
        still_open |= {saved_id(row) for row in new if row.buttons and not row.closed}
        # Messages keep "Read it to me" and "Show me" for good: watch the newest only.
        watching = set(sorted(still_open)[-webchat.RECENT :])
        last_id = saved_id(new[-1]) if new else last_id
        return _Step(changes, last_id, watching, more=len(new) == webchat.PAGE)
