"""Running a Telegram framework: open, long polling or a webhook, handing over a posted
update, stop. One face for python-telegram-bot and aiogram, so that composition and the
web app never name either framework.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Protocol, TypeVar

import pydantic
import telegram
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError
from aiogram.types import Update as AiogramUpdate
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot.channels.chat_order import ChatOrder
from bot.channels.telegram.updates import ALLOWED_UPDATES
from bot.domain.errors import Invalid

log = logging.getLogger(__name__)
U = TypeVar("U")


class BadUpdate(ValueError):
    """A posted body that the framework cannot read as a Telegram update."""


# What `open` raises instead of the framework's error, whose words may hold the token.
TOKEN_REFUSED = "Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather"  # noqa: S105
API_UNREACHABLE = "the Bot API at TELEGRAM_API_URL cannot be reached"


class TelegramRuntime(Protocol[U]):
    framework: str

    @property
    def polling(self) -> bool:
        """Long polling is running."""
        ...

    async def open(self) -> None:
        """Connect and check the token (getMe): enough to send."""
        ...

    async def start_polling(self, poll_seconds: int) -> None:
        """Fetch updates with getUpdates (after removing any webhook) until `stop`."""
        ...

    async def set_webhook(self, url: str, secret: str) -> None:
        """Ask Telegram to post updates to `url`, with `secret` in a header."""
        ...

    def parse(self, raw: dict[str, Any]) -> U:
        """A posted update as the framework's object; BadUpdate when it is not one."""
        ...

    async def process(self, update: U) -> None:
        """Handle one update now, through the framework's handlers."""
        ...

    async def stop(self) -> None:
        """Stop polling, let updates under way finish, close the connections."""
        ...


class PtbRuntime:
    framework = "ptb"

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self.application = application

    @property
    def polling(self) -> bool:
        updater = self.application.updater
        return updater is not None and updater.running

    async def open(self) -> None:
        try:
            await self.application.initialize()  # a second call does nothing
        except (InvalidToken, NetworkError) as error:
            # Not initialized, so shutdown() would skip it: close getMe's connection here.
            await self.application.bot.request.shutdown()
            refused = isinstance(error, InvalidToken)
            raise Invalid(TOKEN_REFUSED if refused else API_UNREACHABLE) from None

    async def start_polling(self, poll_seconds: int) -> None:
        await self.application.start()
        assert self.application.updater is not None
        await self.application.updater.start_polling(
            timeout=poll_seconds, allowed_updates=list(ALLOWED_UPDATES)
        )

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.application.bot.set_webhook(
            url=url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES)
        )

    def parse(self, raw: dict[str, Any]) -> telegram.Update:
        try:
            update = telegram.Update.de_json(raw, self.application.bot)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise BadUpdate(type(error).__name__) from None
        if update is None:
            raise BadUpdate("empty")
        return update

    async def process(self, update: telegram.Update) -> None:
        # Straight to the handlers: the webhook's own per-chat order is already held.
        await self.application.process_update(update)

    async def stop(self) -> None:
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()  # waits for updates under way
        await application.shutdown()


class AiogramRuntime:
    framework = "aiogram"

    def __init__(self, bot: Bot, dispatcher: Dispatcher, order: ChatOrder) -> None:
        self.bot = bot
        self.dispatcher = dispatcher
        self._order = order  # the one InChatOrder holds: drained at stop
        self._polling: asyncio.Task[None] | None = None

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

    async def stop(self) -> None:
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


def _report_polling_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("polling stopped by an error", exc_info=task.exception())
