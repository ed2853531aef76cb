"""python-telegram-bot's Application run as a TelegramRuntime (see runtime.py)."""

from __future__ import annotations

from typing import Any

import telegram
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot.channels.telegram.runtime import API_UNREACHABLE, TOKEN_REFUSED, BadUpdate
from bot.channels.telegram.updates import ALLOWED_UPDATES
from bot.domain.errors import Invalid


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
        updater = self.application.updater
        if updater is None:  # ptb_adapter.build_application keeps the builder's updater
            raise RuntimeError("this python-telegram-bot application has no updater to poll with")
        await updater.start_polling(timeout=poll_seconds, allowed_updates=list(ALLOWED_UPDATES))

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
