"""Running a Telegram framework: open, long polling or a webhook, handing over a posted
update, stop. One face for python-telegram-bot (ptb_runtime.py) and aiogram
(aiogram_runtime.py), so that composition and the web app never name either framework,
and importing the face imports neither.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

U = TypeVar("U")


class BadUpdate(ValueError):
    """A posted body that the framework cannot read as a Telegram update."""


# What `open` raises instead of the framework's error, whose words may hold the token.
TOKEN_REFUSED = "Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather"  # noqa: S105
API_UNREACHABLE = "the Bot API at TELEGRAM_API_URL cannot be reached"
# Said once, when getUpdates answers 409 Conflict: Telegram serves one poller per bot.
OTHER_POLLER = "another process polls this bot (409 Conflict): this one stops polling"


class TelegramRuntime(Protocol[U]):
    framework: str
    # getUpdates answered 409 Conflict (another worker polls): polling stopped for good,
    # while sending, the scheduler and the web app go on.
    other_poller: bool

    @property
    def polling(self) -> bool:
        """Long polling is running."""
        ...

    async def open(self) -> None:
        """Connect and check the token (getMe): enough to send."""
        ...

    async def start_polling(self, poll_seconds: int) -> None:
        """Fetch updates with getUpdates (after removing any webhook) until `stop`, or
        until Telegram answers 409 Conflict (another process polls): then say so once,
        set `other_poller` and stop polling, without stopping anything else."""
        ...

    async def set_webhook(self, url: str, secret: str) -> None:
        """Ask Telegram to post updates to `url`, with `secret` in a header."""
        ...

    def parse(self, raw: dict[str, Any]) -> U:
        """A posted update as the framework's object; BadUpdate when it is not one."""
        ...

    async def process(self, update: U) -> None:
        """Handle one update now, through the framework's handlers."""
        ...

    async def stop(self) -> None:
        """Stop polling, let updates under way finish, close the connections."""
        ...
