"""What the two Telegram adapters (python-telegram-bot and aiogram) share: the updates
the bot asks for and how the parts of an update become an Incoming event. The order in
which updates are handled is bot/channels/chat_order.py, shared with the web chat.

Each adapter only reads its framework's objects and hands the plain parts to
`typed` or `pressed`, so a rule about what the bot answers lives here, once.
"""

from __future__ import annotations

from typing import Any

from bot.channels.base import Pressed
from bot.domain.chat import ChatRef
from bot.flows.types import Incoming, Kind

CHANNEL = "telegram"
PRIVATE = "private"
# All the bot reads: messages and button presses. Edits, reactions, member changes and
# the rest never arrive (and are ignored if they are posted to the webhook anyway).
ALLOWED_UPDATES = ("message", "callback_query")

Translated = tuple[ChatRef, Incoming, Pressed | None]


def typed(
    chat_id: int, chat_type: str, text: str | None, voice_id: str | None = None
) -> Translated | None:
    """A message the person sent: text (or a command), or anything else as media, with
    a voice note's file id (so it can be sent on to the coach). Groups and channels get
    nothing: the bot only talks one to one."""
    if chat_type != PRIVATE:
        return None
    ref = ChatRef(CHANNEL, str(chat_id))
    if text is not None:
        return ref, Incoming.from_text(text), None
    return ref, Incoming(Kind.MEDIA, media_id=voice_id or ""), None


def pressed(
    chat_id: int,
    chat_type: str,
    query_id: str,
    data: str | None,
    shown: tuple[int, str | None] | None,
) -> Translated | None:
    """A button press. `shown` is the pressed message's id and words when Telegram still
    has the message (an old one is "inaccessible": the press is answered, nothing edited)."""
    if chat_type != PRIVATE:
        return None
    message_id, text = (str(shown[0]), shown[1]) if shown is not None else (None, None)
    incoming = Incoming(Kind.BUTTON, button=data or "")
    return ChatRef(CHANNEL, str(chat_id)), incoming, Pressed(query_id, message_id, text)


def chat_of(raw: dict[str, Any]) -> int | None:
    """The chat of a raw update (a message's, or a pressed message's), if it has one."""
    message = raw.get("message")
    if not isinstance(message, dict):
        query = raw.get("callback_query")
        message = query.get("message") if isinstance(query, dict) else None
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    return chat_id if isinstance(chat_id, int) else None
