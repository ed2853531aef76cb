"""python-telegram-bot's Application run as a TelegramRuntime (see runtime.py)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import telegram
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.channels.telegram.runtime import (
    API_UNREACHABLE,
    OTHER_POLLER,
    TOKEN_REFUSED,
    BadUpdate,
)
from bot.channels.telegram.updates import ALLOWED_UPDATES
from bot.domain.errors import Invalid

log = logging.getLogger(__name__)


class PtbRuntime:
    framework = "ptb"

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self.application = application
        self.other_poller = False
        self._giving_way: asyncio.Task[None] | None = None

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
        updater = self.application.updater
        if updater is None:  # ptb_adapter.build_application keeps the builder's updater
            raise RuntimeError("this python-telegram-bot application has no updater to poll with")
        await updater.start_polling(
            timeout=poll_seconds,
            allowed_updates=list(ALLOWED_UPDATES),
            error_callback=self._polling_failed,
        )

    def _polling_failed(self, error: TelegramError) -> None:
        """python-telegram-bot retries every failed getUpdates for ever; a 409 Conflict
        means another process polls, and fighting it would lose updates to both."""
        if not isinstance(error, Conflict):
            log.warning("getUpdates failed", extra={"error": type(error).__name__})
            return
        if self.other_poller:
            return
        self.other_poller = True
        log.warning(OTHER_POLLER, extra={"bot_id": self.application.bot.id})
        self._giving_way = asyncio.get_running_loop().create_task(self._stop_polling())

    async def _stop_polling(self) -> None:
        updater = self.application.updater
        if updater is None or not updater.running:
            return
        # Its last getUpdates (to confirm the offset) would only meet the 409 again.
        setattr(updater, "_Updater__polling_cleanup_cb", _nothing)  # noqa: B010
        await updater.stop()

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
        if self._giving_way is not None:
            await self._giving_way
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()  # waits for updates under way
        await application.shutdown()


async def _nothing() -> None:
    return None
