"""aiogram 3: the sender (the only code that calls the Bot API through aiogram) and the
adapter that turns updates into Incoming events for the conversation service.

It mirrors bot/channels/telegram/ptb_adapter.py: the same errors come out of the sender, and
the same parts of an update go into bot/channels/telegram/updates.py. Conversation state
stays in Waymark's tables, so aiogram's FSM is switched off.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.dispatcher.middlewares.base import BaseMiddleware
from aiogram.exceptions import (
    AiogramError,
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    Chat,
    ErrorEvent,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
    Update,
)

from bot.channels.base import Pressed, Rejected, RetryLater, Transient, Unreachable
from bot.channels.chat_order import ChatOrder
from bot.channels.telegram.updates import CHANNEL, Translated, pressed, typed
from bot.domain.chat import ChatRef
from bot.flows.types import Incoming
from bot.rendering.outgoing import Media, MediaKind, Rendered, Sent, Venue
from bot.settings import TelegramSettings

log = logging.getLogger(__name__)
MAX_TEXT = 4096
MAX_CAPTION = 1024
T = TypeVar("T")
Handler = Callable[[ChatRef, Incoming, Pressed | None], Awaitable[None]]


def _markup(message: Rendered) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.label, callback_data=b.data) for b in row]
            for row in message.buttons
        ]
    )


async def _translated(call: Awaitable[T]) -> T | None:
    """Run an API call and turn aiogram's errors into the channel's own (None: the edit
    changed nothing, which is what was wanted)."""
    try:
        return await call
    except TelegramRetryAfter as error:
        raise RetryLater(float(error.retry_after)) from error
    except TelegramForbiddenError as error:
        raise Unreachable(error.message) from error
    except TelegramBadRequest as error:
        if "not modified" in error.message.lower():
            return None
        raise Rejected(error.message) from error
    except TelegramEntityTooLarge as error:  # a network error to aiogram; no retry helps
        raise Rejected(error.message) from error
    except (TelegramServerError, TelegramNetworkError) as error:  # 5xx, timeouts, sockets
        raise Transient(error.message) from error
    except ClientDecodeError as error:  # not JSON: a proxy's error page, most likely
        raise Transient(error.message) from error
    except TelegramAPIError as error:  # 401, 404, 409, a moved group: no retry helps
        raise Rejected(error.message) from error
    except AiogramError as error:
        raise Rejected(type(error).__name__) from error


class AiogramSender:
    """The Channel for aiogram."""

    name = CHANNEL

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: str, message: Rendered) -> Sent:
        if message.media is not None:
            return await self._send_media(int(chat_id), message, message.media)
        if message.venue is not None:
            return await self._send_venue(int(chat_id), message, message.venue)
        sent = await _translated(
            self._bot.send_message(
                chat_id=int(chat_id),
                text=message.text[:MAX_TEXT],
                reply_markup=_markup(message),
                disable_notification=message.silent,
                protect_content=message.protect,
            )
        )
        return Sent(_message_id(sent))

    async def _send_media(self, chat_id: int, message: Rendered, media: Media) -> Sent:
        """sendPhoto, sendVoice or sendDocument: by file id when Telegram holds the file."""
        upload = media.file_id or BufferedInputFile(media.data, filename=media.filename)
        common: dict[str, Any] = {
            "chat_id": chat_id,
            "caption": message.words_under_media[:MAX_CAPTION] or None,
            "reply_markup": _markup(message),
            "disable_notification": message.silent,
            "protect_content": message.protect,
        }
        file_id: str | None
        if media.kind == MediaKind.PHOTO:
            sent = await _translated(self._bot.send_photo(photo=upload, **common))
            file_id = sent.photo[-1].file_id if sent and sent.photo else None  # the largest
        elif media.kind == MediaKind.VOICE:
            call = self._bot.send_voice(voice=upload, duration=media.duration, **common)
            sent = await _translated(call)
            file_id = sent.voice.file_id if sent and sent.voice else None
        else:
            sent = await _translated(self._bot.send_document(document=upload, **common))
            file_id = sent.document.file_id if sent and sent.document else None
        return Sent(_message_id(sent), None if media.file_id else file_id)

    async def _send_venue(self, chat_id: int, message: Rendered, venue: Venue) -> Sent:
        """sendVenue: a place the phone's maps open, its short name as the title."""
        sent = await _translated(
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
        return Sent(_message_id(sent))

    async def close_buttons(self, chat_id: str, message_id: str, text: str | None) -> None:
        ids: dict[str, Any] = {"chat_id": int(chat_id), "message_id": int(message_id)}
        if text is None:
            await _translated(self._bot.edit_message_reply_markup(reply_markup=None, **ids))
            return
        try:
            await _translated(
                self._bot.edit_message_text(text=text[:MAX_TEXT], reply_markup=None, **ids)
            )
        except Rejected as error:  # a photo, voice note or file has a caption, not text
            if "no text" not in str(error).lower():
                raise
            await _translated(
                self._bot.edit_message_caption(caption=text[:MAX_CAPTION], reply_markup=None, **ids)
            )

    async def answer_button(self, query_id: str, text: str | None) -> None:
        await _translated(self._bot.answer_callback_query(callback_query_id=query_id, text=text))

    async def set_commands(self, commands: dict[str, str]) -> None:
        await _translated(
            self._bot.set_my_commands(
                [BotCommand(command=name, description=text) for name, text in commands.items()]
            )
        )


def _message_id(sent: Message | None) -> str:
    if sent is None:  # only an edit can be "not modified"
        raise Rejected("the message was not sent")
    return str(sent.message_id)


def to_incoming(update: Update) -> Translated | None:
    """An update as an Incoming event, or None for what the bot ignores (groups,
    channels, edits, and updates with no private chat): ptb_adapter's rules, read
    from aiogram's types."""
    query = update.callback_query
    if query is not None:
        if query.message is None:  # a press on an inline-mode message: no chat
            return None
        shown = query.message if isinstance(query.message, Message) else None
        chat = query.message.chat
        # The pressed message's words: its text, or a card's or voice note's caption.
        seen = (shown.message_id, shown.text or shown.caption) if shown is not None else None
        return pressed(chat.id, chat.type, query.id, query.data, seen)
    message = update.message
    if message is None:
        return None
    voice_id = message.voice.file_id if message.voice else None
    return typed(message.chat.id, message.chat.type, message.text, voice_id)


class InChatOrder(BaseMiddleware):
    """The outer middleware that makes aiogram handle one chat's updates in order: it
    runs first for every update, before any filter (aiogram runs plain-function filters
    in threads, so order must be fixed before them)."""

    def __init__(self, order: ChatOrder) -> None:
        self._order = order

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat = data.get("event_chat")
        async with self._order.hold(chat.id if isinstance(chat, Chat) else None):
            return await handler(event, data)


def build_bot(settings: TelegramSettings) -> Bot:
    """The Bot, pointed at TELEGRAM_API_URL (`<root>/bot<token>/<method>`), with the
    request timeout as the session's (getUpdates adds the poll timeout to it)."""
    session = AiohttpSession(
        api=TelegramAPIServer.from_base(settings.api_url), timeout=settings.request_timeout
    )
    return Bot(settings.bot_token.get_secret_value(), session=session)


def build_dispatcher(handler: Handler, order: ChatOrder) -> Dispatcher:
    """A Dispatcher with no FSM storage, one handler for messages and button presses,
    per-chat order, and errors logged by update id."""

    async def on_update(_event: TelegramObject, event_update: Update) -> None:
        translated = to_incoming(event_update)
        if translated is not None:
            await handler(*translated)

    async def on_error(event: ErrorEvent) -> bool:
        log.error(
            "update failed", extra={"update_id": event.update.update_id}, exc_info=event.exception
        )
        return True

    dispatcher = Dispatcher(disable_fsm=True)
    dispatcher.update.outer_middleware(InChatOrder(order))
    dispatcher.message.register(on_update)
    dispatcher.callback_query.register(on_update)
    dispatcher.errors.register(on_error)
    return dispatcher
