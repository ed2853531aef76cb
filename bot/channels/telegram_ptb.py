"""python-telegram-bot: the sender (the only code that calls the Bot API) and the
adapter that turns updates into Incoming events for the conversation service."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType
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

from bot.channels.base import ChatRef, Pressed, Rejected, RetryLater, Transient, Unreachable
from bot.flows.types import Incoming, Kind
from bot.rendering import Rendered
from bot.settings import TelegramSettings

log = logging.getLogger(__name__)
CHANNEL = "telegram"
MAX_TEXT = 4096


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

    async def send(self, chat_id: str, message: Rendered) -> str:
        sent: Message = await _translated(
            self._bot.send_message(
                chat_id=int(chat_id),
                text=message.text[:MAX_TEXT],
                reply_markup=_markup(message),
                disable_notification=message.silent,
            )
        )
        return str(sent.message_id)

    async def close_buttons(self, chat_id: str, message_id: str, text: str | None) -> None:
        if text is None:
            await _translated(
                self._bot.edit_message_reply_markup(
                    chat_id=int(chat_id), message_id=int(message_id), reply_markup=None
                )
            )
            return
        await _translated(
            self._bot.edit_message_text(
                text[:MAX_TEXT], chat_id=int(chat_id), message_id=int(message_id), reply_markup=None
            )
        )

    async def answer_button(self, query_id: str, text: str | None) -> None:
        await _translated(self._bot.answer_callback_query(query_id, text=text))

    async def set_commands(self, commands: dict[str, str]) -> None:
        await _translated(
            self._bot.set_my_commands(
                [BotCommand(name, description) for name, description in commands.items()]
            )
        )


def to_incoming(update: Update) -> tuple[ChatRef, Incoming, Pressed | None] | None:
    """An update as an Incoming event, or None for what the bot ignores (groups,
    channels, edits, and updates with no private chat)."""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return None
    ref = ChatRef(CHANNEL, str(chat.id))
    if update.callback_query is not None:
        query = update.callback_query
        shown = query.message if isinstance(query.message, Message) else None
        message_id = str(shown.message_id) if shown else None
        text = shown.text if shown else None
        incoming = Incoming(Kind.BUTTON, button=query.data or "")
        return ref, incoming, Pressed(query.id, message_id, text)
    message = update.message
    if message is None:
        return None
    if message.text is not None:
        return ref, Incoming.from_text(message.text), None
    return ref, Incoming(Kind.MEDIA), None


Handler = Callable[[ChatRef, Incoming, Pressed | None], Awaitable[None]]


class PerChatOrder(BaseUpdateProcessor):
    """Updates of different chats run side by side; those of one chat run in order."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        try:
            async with lock:
                await coroutine
        finally:
            if not lock.locked() and self._locks.get(chat.id) is lock:
                del self._locks[chat.id]

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
