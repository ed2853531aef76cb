"""The one composition root: settings in, a whole Waymark out. Nothing is built at
import time; tests call `build` with their own clock, engine and Bot API address.
web/server.py runs what this builds, with the web app, in one event loop.

Two steps, so that a command imports only what it uses: `build_core` makes what every
command needs (settings, the database, the clock, the content, media), and `complete`
adds what runs (the conversation, the channels, the scheduler) around it. The modules of
the running parts are imported inside `complete`, and each Telegram framework inside
`_telegram`: `waymark appointment list` never loads them, token or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from bot.content.library import CONTENT_DIR, ContentLibrary, load_content
from bot.domain.clock import Clock, SystemClock
from bot.domain.roles import ALL_ROLES, BOT, DISPATCH
from bot.media.cache import DiskCache
from bot.media.cards import CardDrawer
from bot.media.espeak import EspeakEngine
from bot.media.gtts_engine import GttsEngine
from bot.media.layout import DEFAULT_FONT_DIR
from bot.media.maker import MediaMaker
from bot.media.speech import Speech, SpeechEngine
from bot.services import content_edits, read_only
from bot.settings import Settings
from bot.storage import UnitOfWork, build_engine

if TYPE_CHECKING:  # imported by `complete` and `_telegram`, for a Waymark that runs
    from bot.channels.delivery import Delivery
    from bot.channels.limits import SendLimiter
    from bot.channels.telegram.runtime import TelegramRuntime
    from bot.channels.telegram.webhook import WebhookIntake
    from bot.channels.webchat.intake import Webchat
    from bot.conversation.service import ConversationService
    from bot.rendering.renderer import Renderer
    from scheduler.dispatcher import Dispatcher
    from scheduler.runner import SchedulerRunner


@dataclass
class Core:
    """What every command needs: the database, the clock, the content and media."""

    settings: Settings
    engine: Engine
    clock: Clock
    content: ContentLibrary  # what people get: the files with the dashboard's edits over them
    files: ContentLibrary  # the files' own words (content/): what every edit is laid over
    media: MediaMaker | None  # picture cards, voice notes and calendar files

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def use_content(self, library: ContentLibrary) -> None:
        self.content = library

    def load_content(self) -> None:
        """The files with the newest edit of each item laid over them, read from the
        database (which must be migrated): at open and at start."""
        with self.uow() as uow:
            self.use_content(content_edits.effective_library(uow.session, self.files))


@dataclass
class Waymark(Core):
    """A Waymark that runs: the core, with the conversation, the channels and the
    scheduler around it."""

    conversation: ConversationService
    dispatcher: Dispatcher
    runner: SchedulerRunner
    telegram: TelegramRuntime[Any] | None  # python-telegram-bot or aiogram
    delivery: Delivery | None  # Telegram's, with a token
    webhook: WebhookIntake | None  # with TELEGRAM_WEBHOOK_URL: updates come by the web app
    webchat: Webchat  # the phone in the browser: always there, token or not
    renderer: Renderer  # the dispatcher's (OutboxPreparer's): reminders, nudges, alerts
    started: bool = False
    roles: frozenset[str] = ALL_ROLES  # what `start` runs (bot/domain/roles.py)

    def use_content(self, library: ContentLibrary) -> None:
        """From now on, everything that sends uses `library`: replies (Telegram and the
        web chat share the conversation service) and what the dispatcher sends. The
        dashboard calls it with what each edit's save or revert returns."""
        self.content = library
        self.conversation.use_content(library)
        self.renderer.content = library

    async def open(self) -> None:
        """Read the content edits, open the channel's connections (no polling, no
        ticking): enough to send."""
        self.load_content()
        if self.telegram is not None:
            await self.telegram.open()

    async def start(self) -> None:
        """Read the content edits, connect to Telegram; with the bot's role set the
        command menu and take updates (by long polling, or by setting the webhook when
        TELEGRAM_WEBHOOK_URL is set); with dispatch's, start ticking."""
        await self.open()
        if BOT in self.roles and self.telegram is not None and self.delivery is not None:
            await self.delivery.channel.set_commands(self.content.commands)
            telegram = self.settings.telegram
            if telegram.uses_webhook:
                secret = telegram.webhook_secret.get_secret_value()
                await self.telegram.set_webhook(telegram.webhook_url, secret)
            else:
                await self.telegram.start_polling(telegram.poll_timeout)
        if DISPATCH in self.roles:
            self.runner.start()
        self.started = True

    async def stop(self) -> None:
        """Stop ticking and taking updates; updates under way finish first."""
        self.started = False
        self.runner.shutdown()
        self.webchat.close()
        await self.webchat.intake.drain()
        if self.webhook is not None:
            await self.webhook.drain()
        if self.telegram is not None:
            await self.telegram.stop()
        if self.delivery is not None:
            await self.delivery.limiter.close()


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    content: ContentLibrary | None = None,
    speech: Speech | None = None,
    roles: frozenset[str] = ALL_ROLES,
) -> Waymark:
    """A whole Waymark: `waymark serve`, `waymark demo` and the tests."""
    return complete(
        build_core(settings, clock=clock, engine=engine, content=content, speech=speech), roles
    )


def build_core(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    content: ContentLibrary | None = None,
    speech: Speech | None = None,
) -> Core:
    """What every command needs, and nothing that runs: the commands that read or write
    the database use this alone."""
    clock = clock or SystemClock()
    read_only.install()  # a closed case's record refuses changes, from every entry point
    engine = engine or build_engine(settings.database.url)
    content = content or load_content(settings.content_dir or CONTENT_DIR)
    return Core(settings, engine, clock, content, content, build_media(settings, clock, speech))


def complete(core: Core, roles: frozenset[str] = ALL_ROLES) -> Waymark:
    """The running parts around `core`: the conversation, the web chat, Telegram when a
    token is set and a role needs it (the bot's to take updates, dispatch's to send),
    the webhook's intake with the bot's role, the dispatcher and the scheduler (started
    with dispatch's role only). The web app (web/app.py) takes the routes of the roles."""
    from bot.channels.file_ids import FileIds
    from bot.channels.limiters import build_limiter
    from bot.channels.webchat.intake import build_webchat
    from bot.conversation.service import ConversationService
    from bot.media.cached import cached_media
    from bot.rendering.renderer import Renderer
    from scheduler import planning
    from scheduler import retention as retention_job
    from scheduler.dispatcher import Dispatcher
    from scheduler.preparing import OutboxPreparer
    from scheduler.runner import SchedulerRunner

    settings, clock, content, media = core.settings, core.clock, core.content, core.media
    uow = partial(UnitOfWork, core.engine)
    renderer = Renderer(content)
    holder: dict[str, Any] = {}
    conversation = ConversationService(
        uow, clock, content, on_alert=lambda: holder["runner"].poke(), media=media
    )
    telegram: TelegramRuntime[Any] | None = None
    delivery: Delivery | None = None
    webhook: WebhookIntake | None = None
    if settings.telegram.has_token and roles & {BOT, DISPATCH}:
        telegram, delivery = _telegram(settings, conversation, build_limiter(settings, core.engine))
        delivery.keep_file_ids(FileIds(uow, clock))  # send a card or voice note by its id
        if settings.telegram.uses_webhook and BOT in roles:
            from bot.channels.telegram.webhook import WebhookIntake

            webhook = WebhookIntake(telegram, uow, clock)
    webchat = build_webchat(uow, clock, conversation, settings.sending)
    deliveries = {webchat.delivery.channel.name: webchat.delivery}
    if delivery is not None:
        deliveries[delivery.channel.name] = delivery
    dispatcher = Dispatcher(
        uow, clock, deliveries, OutboxPreparer(uow, clock, renderer, media), settings.scheduler
    )

    def plan() -> int:
        # Every 15 minutes: edits saved by another worker's dashboard reach this one too.
        holder["waymark"].load_content()
        return planning.plan_everything(uow, clock)

    retain = partial(
        retention_job.run,
        uow,
        clock,
        settings.retention,
        cached_media(settings.media, settings.speech),
    )
    runner = SchedulerRunner(
        dispatcher,
        settings.scheduler.tick_seconds,
        planner=plan,
        retention=retain,
        retention_at=settings.retention.run_at,
    )
    holder["runner"] = runner
    holder["waymark"] = waymark = Waymark(
        settings,
        core.engine,
        clock,
        content,
        core.files,
        media,
        conversation,
        dispatcher,
        runner,
        telegram,
        delivery,
        webhook,
        webchat,
        renderer,
        roles=roles,
    )
    return waymark


def _telegram(
    settings: Settings, conversation: ConversationService, limiter: SendLimiter
) -> tuple[TelegramRuntime[Any], Delivery]:
    """The framework TELEGRAM_FRAMEWORK names, with the sender the dispatcher shares.
    Each is imported here, and only the one named: aiogram alone takes seconds."""
    from bot.channels.chat_order import ChatOrder
    from bot.channels.delivery import Delivery
    from bot.channels.replies import ReplyHandler

    if settings.telegram.framework == "aiogram":
        from bot.channels.telegram.aiogram_import import import_aiogram

        import_aiogram()  # its types built when first used: a third of its memory
        from bot.channels.telegram import aiogram_adapter
        from bot.channels.telegram.aiogram_runtime import AiogramRuntime

        bot = aiogram_adapter.build_bot(settings.telegram)
        delivery = Delivery(aiogram_adapter.AiogramSender(bot), settings.sending, limiter)
        order = ChatOrder()
        handler = ReplyHandler(conversation, delivery)
        return AiogramRuntime(
            bot, aiogram_adapter.build_dispatcher(handler, order), order
        ), delivery
    from bot.channels.telegram import ptb_adapter
    from bot.channels.telegram.ptb_runtime import PtbRuntime

    ptb_bot = ptb_adapter.build_bot(settings.telegram)
    delivery = Delivery(ptb_adapter.PtbSender(ptb_bot), settings.sending, limiter)
    application = ptb_adapter.build_application(ptb_bot, ReplyHandler(conversation, delivery))
    return PtbRuntime(application), delivery


def build_media(settings: Settings, clock: Clock, speech: Speech | None = None) -> MediaMaker:
    """Cards, speech (gTTS first when SPEECH_GTTS allows it, espeak-ng always) and the
    disk cache they share. Nothing is made or loaded here (not Pillow, PyAV, gTTS or the
    espeak-ng library): only when a message needs it."""
    cache = DiskCache(settings.media.cache_dir)
    if speech is None:
        spoken = settings.speech
        engines: list[SpeechEngine] = []
        if spoken.gtts:
            engines.append(GttsEngine(spoken.gtts_url, spoken.gtts_timeout))
        engines.append(EspeakEngine(words_per_minute=spoken.words_per_minute))
        rest = timedelta(seconds=spoken.rest_seconds)
        speech = Speech(engines, cache, clock, rest)
    fonts = settings.media.font_dir or DEFAULT_FONT_DIR
    return MediaMaker(CardDrawer(fonts, cache), speech, clock)
