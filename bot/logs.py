"""Logging: one line per event, with ids and never names or text.

Two formats (WAYMARK_LOG_FORMAT): ``text``, the message and the ids in `key=value` form,
for a person reading a terminal; ``json``, one JSON object a line, for a log store. In
both, callers pass only ids, kinds and outcomes in ``extra={...}``.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, TextIO

LogFormat = Literal["text", "json"]
_STANDARD = set(vars(logging.makeLogRecord({})))
# Libraries whose INFO lines say nothing useful, or too much:
QUIETER = {
    "httpx": logging.WARNING,  # every request URL, and the URL holds the bot token
    "apscheduler": logging.WARNING,  # two lines for every tick ("Running job", "executed")
}
# Libraries that log whole requests and updates (names, message words) at DEBUG: they
# stay at INFO even when Waymark's own modules are asked for DEBUG.
WORDY_AT_DEBUG = ("telegram", "aiogram", "httpcore")


def _extras(record: logging.LogRecord, skip: set[str]) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in skip}


class KeyValueFormatter(logging.Formatter):
    """Adds the `extra={...}` ids to the line; callers only ever pass ids and kinds."""

    skip: ClassVar[set[str]] = _STANDARD | {"message", "asctime", "color_message"}

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = _extras(record, self.skip)
        if extras:
            line += " " + " ".join(f"{k}={v}" for k, v in sorted(extras.items()))
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, then the extras as
    fields of their own (an outbox row's ``outbox_id``, ``channel`` and ``outcome``)."""

    skip: ClassVar[set[str]] = KeyValueFormatter.skip
    reserved: ClassVar[set[str]] = {"time", "level", "logger", "message", "exception"}

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in _extras(record, self.skip).items():
            line[f"extra_{key}" if key in self.reserved else key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def formatter(log_format: LogFormat) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter()
    return KeyValueFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")


def configure_logging(
    level: str = "INFO", log_format: LogFormat = "text", stream: TextIO | None = None
) -> None:
    """Log lines to `stream` (stderr when None), in `log_format`, from `level` up."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter(log_format))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    for name, quieter in QUIETER.items():
        logging.getLogger(name).setLevel(quieter)
    floor = max(logging.getLogger().level, logging.INFO)
    for name in WORDY_AT_DEBUG:
        logging.getLogger(name).setLevel(floor)
