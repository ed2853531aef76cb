"""The two log formats: key=value text and one JSON object a line."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.logs import JsonFormatter, KeyValueFormatter, configure_logging


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """A log stream for the test; the root logger and the libraries' levels put back."""
    names = ("apscheduler", "telegram", "aiogram", "httpcore", "httpx")
    levels = {name: logging.getLogger(name).level for name in names}
    buffer = io.StringIO()
    yield buffer
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def _record(**extra: object) -> logging.LogRecord:
    record = logging.makeLogRecord({"name": "scheduler.dispatcher", "levelname": "INFO"})
    record.msg, record.levelno, record.created = "outbox row done", logging.INFO, 1795953600.25
    record.__dict__.update(extra)
    return record


def test_a_json_line_carries_the_ids_as_fields() -> None:
    line = JsonFormatter().format(_record(outbox_id=42, channel="telegram", outcome="sent"))
    assert json.loads(line) == {
        "time": "2026-11-29T12:00:00.250+00:00",
        "level": "INFO",
        "logger": "scheduler.dispatcher",
        "message": "outbox row done",
        "outbox_id": 42,
        "channel": "telegram",
        "outcome": "sent",
    }
    assert "\n" not in line


def test_json_keeps_its_own_fields_and_writes_any_value() -> None:
    when = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
    fields = json.loads(JsonFormatter().format(_record(level=3, time="x", at=when)))
    assert (fields["level"], fields["time"]) == ("INFO", "2026-11-29T12:00:00.250+00:00")
    assert (fields["extra_level"], fields["extra_time"]) == (3, "x")
    assert fields["at"] == "2026-11-24 18:00:00+00:00"


def test_json_puts_a_traceback_in_one_field() -> None:
    try:
        raise ValueError("bad row")
    except ValueError:
        record = logging.makeLogRecord({"msg": "dispatch tick failed", "exc_info": True})
        record.exc_info = sys.exc_info()
    (line,) = JsonFormatter().format(record).splitlines()
    fields = json.loads(line)
    assert fields["exception"].startswith("Traceback (most recent call last):")
    assert fields["exception"].endswith("ValueError: bad row")


def test_the_text_line_ends_with_sorted_ids() -> None:
    formatter = KeyValueFormatter("%(levelname)s %(name)s %(message)s")
    line = formatter.format(_record(outcome="sent", outbox_id=42, channel="telegram"))
    assert line == (
        "INFO scheduler.dispatcher outbox row done channel=telegram outbox_id=42 outcome=sent"
    )


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_configured_logging_writes_the_format_and_quiets_the_libraries(
    stream: io.StringIO, log_format: str
) -> None:
    configure_logging("DEBUG", log_format, stream)  # type: ignore[arg-type]
    logging.getLogger("apscheduler.executors.default").info('Running job "dispatch"')
    logging.getLogger("telegram.ext.ExtBot").debug("Calling sendMessage with {'text': ...}")
    logging.getLogger("scheduler.dispatcher").debug("claim", extra={"rows": 3})
    (line,) = stream.getvalue().splitlines()
    if log_format == "json":
        assert json.loads(line)["rows"] == 3
    else:
        assert line.endswith("DEBUG scheduler.dispatcher claim rows=3")
