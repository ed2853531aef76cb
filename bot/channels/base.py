"""What every channel (python-telegram-bot, aiogram, the web chat) offers, and the
errors it may raise. Adapters translate their framework's errors into these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.rendering import Rendered


@dataclass(frozen=True)
class ChatRef:
    channel: str
    chat_id: str


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

    async def send(self, chat_id: str, message: Rendered) -> str:
        """Send, and return the channel's id of the new message."""
        ...

    async def close_buttons(self, chat_id: str, message_id: str, text: str | None) -> None:
        """Take the buttons off a message; with `text`, its words become that."""
        ...

    async def answer_button(self, query_id: str, text: str | None) -> None:
        """Acknowledge a button press (some channels show `text` briefly)."""
        ...

    async def set_commands(self, commands: dict[str, str]) -> None:
        """Set the command menu."""
        ...
