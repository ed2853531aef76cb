"""What every channel (python-telegram-bot, aiogram, the web chat) offers, and the
errors it may raise. Adapters translate their framework's errors into these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.rendering.outgoing import Rendered, Sent


@dataclass(frozen=True)
class Pressed:
    """The button press a reply answers: the callback to acknowledge and its message."""

    query_id: str
    message_id: str | None
    text: str | None = None  # the words of the pressed message, where the channel has them


class SendError(Exception):
    """A send did not go through."""


class Unreachable(SendError):
    """The person blocked the bot or left: no retry will help until they come back."""


class Rejected(SendError):
    """The API refused the request itself (a bad request): no retry will help."""


class Transient(SendError):
    """A timeout, a network fault or a server error: worth another try."""


class RetryLater(Transient):
    def __init__(self, seconds: float, description: str = "rate limited") -> None:
        super().__init__(description)
        self.seconds = seconds


class Channel(Protocol):
    name: str

    async def send(self, chat_id: str, message: Rendered) -> Sent | str:
        """Send, and return the channel's id of the new message.

        With `message.media`, send the file with `message.words_under_media` as its
        caption: a photo (sendPhoto), a voice note (sendVoice, with `media.duration`) or a
        document (sendDocument, named `media.filename`). When `media.file_id` is set, send
        by that id instead of uploading `media.data`. Return a Sent with the file id the
        channel gave an uploaded file (the largest size of a photo), so the next send can
        use it. A channel that cannot send files sends `message.text` (the whole message in
        words) and may return a plain `str`, the message id.
        """
        ...

    async def close_buttons(self, chat_id: str, message_id: str, text: str | None) -> None:
        """Take the buttons off a message; with `text`, its words become that (for a
        photo, voice note or file: its caption)."""
        ...

    async def answer_button(self, query_id: str, text: str | None) -> None:
        """Acknowledge a button press (some channels show `text` briefly)."""
        ...

    async def set_commands(self, commands: dict[str, str]) -> None:
        """Set the command menu."""
        ...
