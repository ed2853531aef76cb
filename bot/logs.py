"""Logging: one line per event, with ids in `key=value` form and never names or text."""

from __future__ import annotations

import logging
from typing import ClassVar

_STANDARD = set(vars(logging.makeLogRecord({})))


class KeyValueFormatter(logging.Formatter):
    """Adds the `extra={...}` ids to the line; callers only ever pass ids and kinds."""

    skip: ClassVar[set[str]] = _STANDARD | {"message", "asctime", "color_message"}

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = {k: v for k, v in vars(record).items() if k not in self.skip}
        if extras:
            line += " " + " ".join(f"{k}={v}" for k, v in sorted(extras.items()))
        return line


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(KeyValueFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    # httpx logs every request URL, and the URL holds the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
