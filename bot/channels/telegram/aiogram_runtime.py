"""aiogram's Bot and Dispatcher run as a TelegramRuntime (see runtime.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import pydantic
from aiogram import Bot, Dispatcher
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramConflictError,
    TelegramNetworkError,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Update as AiogramUpdate

from bot.channels.chat_order import ChatOrder
from bot.channels.telegram.runtime import (
    API_UNREACHABLE,
    OTHER_POLLER,
    TOKEN_REFUSED,
    BadUpdate,
)
from bot.channels.telegram.updates import ALLOWED_UPDATES
from bot.domain.errors import Invalid

log = logging.getLogger(__name__)


class AiogramRuntime:
    framework = "aiogram"

    def __init__(self, bot: Bot, dispatcher: Dispatcher, order: ChatOrder) -> None:
        self.bot = bot
        self.dispatcher = dispatcher
        self._order = order  # the one InChatOrder holds: drained at stop
        self._polling: asyncio.Task[None] | None = None
        self.other_poller = False
        self._giving_way: asyncio.Task[None] | None = None

    @property
    def polling(self) -> bool:
        return self._polling is not None and not self._polling.done()

    async def open(self) -> None:
        try:
            await self.bot.me()  # getMe once, as python-telegram-bot's initialize does
        except TelegramUnauthorizedError:
            raise Invalid(TOKEN_REFUSED) from None
        except TelegramNetworkError:
            raise Invalid(API_UNREACHABLE) from None

    async def start_polling(self, poll_seconds: int) -> None:
        # getUpdates is refused while a webhook is set; python-telegram-bot removes it too.
        await self.bot.delete_webhook()
        self.bot.session.middleware(_GiveWay(self))
        self._polling = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot,
                polling_timeout=poll_seconds,
                allowed_updates=list(ALLOWED_UPDATES),
                handle_signals=False,  # `waymark serve` owns the signals
                close_bot_session=False,  # the dispatcher of reminders still sends
            ),
            name="aiogram-polling",
        )
        self._polling.add_done_callback(_report_polling_end)

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.bot.set_webhook(
            url=url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES)
        )

    def parse(self, raw: dict[str, Any]) -> AiogramUpdate:
        try:
            return AiogramUpdate.model_validate(raw, context={"bot": self.bot})
        except pydantic.ValidationError as error:
            raise BadUpdate(f"{error.error_count()} invalid fields") from None

    async def process(self, update: AiogramUpdate) -> None:
        await self.dispatcher.feed_update(self.bot, update)

    def give_way(self) -> None:
        """getUpdates answered 409 Conflict: another process polls. Say so once, and stop
        polling (aiogram would retry for ever, logging each failure)."""
        if self.other_poller:
            return
        self.other_poller = True
        log.warning(OTHER_POLLER, extra={"bot_id": self.bot.id})
        self._giving_way = asyncio.create_task(self.dispatcher.stop_polling())

    async def stop(self) -> None:
        if self._giving_way is not None:
            await self._giving_way
        task, self._polling = self._polling, None
        if task is not None and not task.done():
            try:
                await self.dispatcher.stop_polling()
            except RuntimeError:  # created but not yet begun: it never will now
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        # Let update tasks the poller created take their place in the order, then wait.
        await asyncio.sleep(0)
        await self._order.drain()
        await self.bot.session.close()


class _GiveWay(BaseRequestMiddleware):
    """Watches getUpdates (only: the bot's session also sends every message) for 409."""

    def __init__(self, runtime: AiogramRuntime) -> None:
        self._runtime = runtime

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        polls = isinstance(method, GetUpdates)
        try:
            return await make_request(bot, method)
        except TelegramConflictError:
            if not polls:
                raise
            self._runtime.give_way()
            await asyncio.Event().wait()  # until stop_polling cancels the poll
            raise


def _report_polling_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("polling stopped by an error", exc_info=task.exception())
