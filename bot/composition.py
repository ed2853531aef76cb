"""The one composition root: settings in, a whole Waymark out. Nothing is built at
import time; tests call `build` with their own clock, engine and Bot API address."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Engine
from telegram.ext import Application

from bot.channels.delivery import Delivery
from bot.channels.replies import ReplyHandler
from bot.channels.telegram_ptb import PtbSender, build_application, build_bot
from bot.clock import Clock, SystemClock
from bot.content import ContentLibrary, load_content
from bot.conversation import ConversationService
from bot.rendering import Renderer
from bot.settings import Settings
from bot.storage import UnitOfWork, build_engine
from scheduler.dispatcher import Dispatcher
from scheduler.rendering import OutboxRenderer
from scheduler.runner import SchedulerRunner

log = logging.getLogger(__name__)


@dataclass
class Waymark:
    settings: Settings
    engine: Engine
    clock: Clock
    content: ContentLibrary
    conversation: ConversationService
    dispatcher: Dispatcher
    runner: SchedulerRunner
    application: Application[Any, Any, Any, Any, Any, Any] | None
    delivery: Delivery | None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    async def open(self) -> None:
        """Open the channel's connections (no polling, no ticking): enough to send."""
        if self.application is not None:
            await self.application.initialize()  # a second call does nothing

    async def start(self) -> None:
        """Connect to Telegram (long polling), set the command menu, start ticking."""
        if self.application is not None and self.delivery is not None:
            await self.open()
            await self.delivery.channel.set_commands(self.content.commands)
            await self.application.start()
            assert self.application.updater is not None
            await self.application.updater.start_polling(
                timeout=self.settings.telegram.poll_timeout,
                allowed_updates=["message", "callback_query"],
            )
        self.runner.start()

    async def stop(self) -> None:
        self.runner.shutdown()
        if self.application is not None:
            if self.application.updater is not None and self.application.updater.running:
                await self.application.updater.stop()
            if self.application.running:
                await self.application.stop()
            await self.application.shutdown()


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    content: ContentLibrary | None = None,
) -> Waymark:
    clock = clock or SystemClock()
    engine = engine or build_engine(settings.database.url)
    content = content or load_content()
    uow = partial(UnitOfWork, engine)
    renderer = Renderer(content)
    holder: dict[str, SchedulerRunner] = {}
    conversation = ConversationService(
        uow, clock, content, on_alert=lambda: holder["runner"].poke()
    )
    application = None
    delivery = None
    if settings.telegram.has_token:
        bot = build_bot(settings.telegram)
        delivery = Delivery(PtbSender(bot), settings.sending)
        application = build_application(bot, ReplyHandler(conversation, delivery))
    dispatcher = Dispatcher(
        uow, clock, delivery, OutboxRenderer(uow, clock, renderer), settings.scheduler
    )
    runner = SchedulerRunner(dispatcher, settings.scheduler.tick_seconds)
    holder["runner"] = runner
    return Waymark(
        settings, engine, clock, content, conversation, dispatcher, runner, application, delivery
    )


async def serve(waymark: Waymark) -> None:
    """Run until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await waymark.start()
    log.info("waymark serving")
    try:
        await stop.wait()
    finally:
        await waymark.stop()
