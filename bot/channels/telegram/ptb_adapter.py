"""python-telegram-bot: the sender (the only code that calls the Bot API) and the
adapter that turns updates into Incoming events for the conversation service."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    ExtBot,
    TypeHandler,
)
from telegram.request import HTTPXRequest

from bot.channels.base import Pressed, Rejected, RetryLater, Transient, Unreachable
from bot.channels.chat_order import ChatOrder
from bot.channels.telegram.updates import Translated, pressed, typed
from bot.domain.chat import ChatRef
from bot.flows.types import Incoming
from bot.rendering.outgoing import Media, MediaKind, Rendered, Sent, Venue
from bot.settings import TelegramSettings

log = logging.getLogger(__name__)
CHANNEL = "telegram"
MAX_TEXT = 4096
MAX_CAPTION = 1024


def _markup(message: Rendered) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in message.buttons
        ]
    )


async def _translated(call: Awaitable[Any]) -> Any:
    """Run an API call and turn python-telegram-bot's errors into the channel's own."""
    try:
        return await call
    except RetryAfter as error:
        retry = error.retry_after
        seconds = retry if isinstance(retry, int | float) else retry.total_seconds()
        raise RetryLater(float(seconds)) from error
    except Forbidden as error:
        raise Unreachable(error.message) from error
    except BadRequest as error:
        if "not modified" in error.message.lower():
            return None
        raise Rejected(error.message) from error
    except NetworkError as error:  # includes TimedOut and 5xx answers
        raise Transient(error.message) from error
    except TelegramError as error:
        raise Rejected(error.message) from error


class PtbSender:
    """The Channel for python-telegram-bot."""

    name = CHANNEL

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: str, message: Rendered) -> Sent:
        if message.media is not None:
            return await self._send_media(int(chat_id), message, message.media)
        if message.venue is not None:
            return await self._send_venue(int(chat_id), message, message.venue)
        sent: Message = await _translated(
            self._bot.send_message(
                chat_id=int(chat_id),
                text=message.text[:MAX_TEXT],
                reply_markup=_markup(message),
                disable_notification=message.silent,
                protect_content=message.protect,
            )
        )
        return Sent(str(sent.message_id))

    async def _send_media(self, chat_id: int, message: Rendered, media: Media) -> Sent:
        """sendPhoto, sendVoice or sendDocument: by file id when Telegram holds the file."""
        upload = media.file_id or InputFile(media.data, filename=media.filename)
        common: dict[str, Any] = {
            "chat_id": chat_id,
            "caption": message.words_under_media[:MAX_CAPTION] or None,
            "reply_markup": _markup(message),
            "disable_notification": message.silent,
            "protect_content": message.protect,
        }
        sent: Message
        if media.kind == MediaKind.PHOTO:
            sent = await _translated(self._bot.send_photo(photo=upload, **common))
            file_id = sent.photo[-1].file_id if sent.photo else None  # the largest size
        elif media.kind == MediaKind.VOICE:
            seconds = timedelta(seconds=media.duration) if media.duration else None
            call = self._bot.send_voice(voice=upload, duration=seconds, **common)
            sent = await _translated(call)
            file_id = sent.voice.file_id if sent.voice else None
        else:
            sent = await _translated(self._bot.send_document(document=upload, **common))
            file_id = sent.document.file_id if sent.document else None
        return Sent(str(sent.message_id), None if media.file_id else file_id)

    async def _send_venue(self, chat_id: int, message: Rendered, venue: Venue) -> Sent:
        """sendVenue: a place the phone's maps open, its short name as the title."""
        sent: Message = await _translated(
            self._bot.send_venue(
                chat_id=chat_id,
                latitude=venue.latitude,
                longitude=venue.longitude,
                title=venue.title,
                address=venue.address,
                reply_markup=_markup(message),
                disable_notification=message.silent,
                protect_content=message.protect,
            )
        )
        return Sent(str(sent.message_id))

    async def close_buttons(self, chat_id: str, message_id: str, text: str | None) -> None:
        ids: dict[str, Any] = {"chat_id": int(chat_id), "message_id": int(message_id)}
        if text is None:
            await _translated(self._bot.edit_message_reply_markup(reply_markup=None, **ids))
            return
        try:
            await _translated(
                self._bot.edit_message_text(text[:MAX_TEXT], reply_markup=None, **ids)
            )
        except Rejected as error:  # a photo, voice note or file has a caption, not text
            if "no text" not in str(error).lower():
                raise
            await _translated(
                self._bot.edit_message_caption(caption=text[:MAX_CAPTION], reply_markup=None, **ids)
            )

    async def answer_button(self, query_id: str, text: str | None) -> None:
        await _translated(self._bot.answer_callback_query(query_id, text=text))

    async def set_commands(self, commands: dict[str, str]) -> None:
        await _translated(
            self._bot.set_my_commands(
                [BotCommand(name, description) for name, description in commands.items()]
            )
        )


def to_incoming(update: Update) -> Translated | None:
    """An update as an Incoming event, or None for what the bot ignores (groups,
    channels, edits, and updates with no private chat): the shared rules of
    bot/channels/telegram/updates.py, read from python-telegram-bot's types."""
    chat = update.effective_chat
    if chat is None:
        return None
    query = update.callback_query
    if query is not None:
        shown = query.message if isinstance(query.message, Message) else None
        # The pressed message's words: its text, or a card's or voice note's caption.
        seen = (shown.message_id, shown.text or shown.caption) if shown is not None else None
        return pressed(chat.id, chat.type, query.id, query.data, seen)
    message = update.message
    if message is None:
        return None
    voice_id = message.voice.file_id if message.voice else None
    return typed(chat.id, chat.type, message.text, voice_id)


Handler = Callable[[ChatRef, Incoming, Pressed | None], Awaitable[None]]


class PerChatOrder(BaseUpdateProcessor):
    """Updates of different chats run side by side; those of one chat run in order
    (bot/channels/chat_order.py, shared with aiogram and the web chat)."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._order = ChatOrder()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        async with self._order.hold(chat.id if chat else None):
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def build_bot(settings: TelegramSettings) -> ExtBot[None]:
    """The Bot, pointed at TELEGRAM_API_URL (`<root>/bot<token>/<method>`)."""
    timeout = settings.request_timeout
    return ExtBot(
        settings.bot_token.get_secret_value(),
        base_url=f"{settings.api_url}/bot",
        base_file_url=f"{settings.api_url}/file/bot",
        request=HTTPXRequest(
            connection_pool_size=64,
            read_timeout=timeout,
            write_timeout=timeout,
            connect_timeout=timeout,
            pool_timeout=timeout,
        ),
        get_updates_request=HTTPXRequest(
            read_timeout=settings.poll_timeout + timeout, connect_timeout=timeout
        ),
    )


def build_application(
    bot: ExtBot[None], handler: Handler
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The PTB application around `bot`, with one handler for every update."""

    async def on_update(update: object, _context: ContextTypes.DEFAULT_TYPE) -> None:
        if not isinstance(update, Update):
            return
        translated = to_incoming(update)
        if translated is not None:
            await handler(*translated)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update failed", extra={"update_id": update_id}, exc_info=context.error)

    application = ApplicationBuilder().bot(bot).concurrent_updates(PerChatOrder(256)).build()
    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)
    return application
