"""Updates Telegram posts to the webhook: checked, taken at once (the web route answers
without waiting), handled once each and in order per chat, by either framework.

A retried update (same update_id) is dropped using a table, not memory, so the rule
holds across restarts and across workers behind a load balancer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from bot.channels.chat_order import ChatOrder
from bot.channels.telegram.runtime import BadUpdate, TelegramRuntime
from bot.channels.telegram.updates import ALLOWED_UPDATES, chat_of
from bot.domain.clock import Clock
from bot.services import seen_updates
from bot.storage import UnitOfWorkFactory, committed

log = logging.getLogger(__name__)
PRUNE_EVERY = 3600.0  # seconds between clearing out old update ids, per process


class WebhookIntake:
    def __init__(
        self, telegram: TelegramRuntime[Any], uow: UnitOfWorkFactory, clock: Clock
    ) -> None:
        self._telegram = telegram
        self._uow = uow
        self._clock = clock
        self._order = ChatOrder()
        self._pruned_at: float | None = None

    def accept(self, raw: object) -> None:
        """Take one posted body and return at once; the update is handled after the
        chat's earlier ones. Raises BadUpdate when the body is not a Telegram update."""
        if not isinstance(raw, dict):
            raise BadUpdate("not an object")
        update_id = raw.get("update_id")
        if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id < 0:
            raise BadUpdate("no update_id")
        if not any(kind in raw for kind in ALLOWED_UPDATES):
            log.info("update ignored", extra={"update_id": update_id})  # not asked for
            return
        problem = _misshapen(raw)
        if problem is not None:  # checked here, the same for both frameworks
            raise BadUpdate(problem)
        update = self._telegram.parse(raw)
        self._order.spawn(chat_of(raw), self._handle(update_id, update))

    async def _handle(self, update_id: int, update: object) -> None:
        if not await asyncio.to_thread(self._first_sighting, update_id):
            log.info("duplicate update dropped", extra={"update_id": update_id})
            return
        await self._telegram.process(update)

    def _first_sighting(self, update_id: int) -> bool:
        now = self._clock.now()
        with committed(self._uow) as uow:  # the webhook's own unit: one update seen
            fresh = seen_updates.remember(uow.session, update_id, now)
            due = self._pruned_at is None or time.monotonic() - self._pruned_at > PRUNE_EVERY
            if due:
                seen_updates.forget_old(uow.session, now)
                self._pruned_at = time.monotonic()
        return fresh

    @property
    def busy(self) -> int:
        """Updates taken in and not yet handled."""
        return self._order.busy

    async def drain(self) -> None:
        """Wait until every update taken in so far has been handled."""
        await self._order.drain()


def _misshapen(raw: dict[str, Any]) -> str | None:
    """What is wrong with the parts of an update the bot reads, if anything.

    aiogram checks every type and python-telegram-bot almost none, so without this a
    forged update with, say, a chat id of "x" would be refused by one framework and
    fail late in the other."""
    query = raw.get("callback_query")
    if query is not None:
        if not isinstance(query, dict) or not isinstance(query.get("id"), str):
            return "callback_query"
        message = query.get("message")
        if message is None:  # a press on an inline-mode message: read, then ignored
            return None
    else:
        message = raw.get("message")
    if not isinstance(message, dict):
        return "message"
    chat = message.get("chat")
    if not (
        isinstance(chat, dict) and _whole(chat.get("id")) and isinstance(chat.get("type"), str)
    ):
        return "chat"
    if not (_whole(message.get("message_id")) and _whole(message.get("date"))):
        return "message"
    text = message.get("text")
    return None if text is None or isinstance(text, str) else "text"


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
