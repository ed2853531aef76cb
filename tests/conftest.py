"""Shared fixtures: a clock, a database (SQLite, and PostgreSQL when configured), the
stand-in Bot API server and a whole Waymark composed against them.

Every test that uses a composed Waymark runs once per Telegram framework (the
`framework` fixture): the Telegram tests are one conformance suite for python-telegram-bot
and aiogram, and a behaviour that differs between them fails."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from bot.composition import Waymark, build
from bot.settings import (
    DatabaseSettings,
    SchedulerSettings,
    SendingSettings,
    Settings,
    TelegramSettings,
)
from tests.support.botapi import StandInBotAPI
from tests.support.database import database_url, migrated_engine
from tests.support.fakes import FixedClock

FRAMEWORKS = ["ptb", "aiogram"]
WEBHOOK_URL = "https://waymark.test/telegram/webhook"
WEBHOOK_SECRET = "stand-in_webhook-secret_0123456789"

# python-telegram-bot 22 warns unless durations are timedeltas; warnings are errors here.
os.environ.setdefault("PTB_TIMEDELTA", "true")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture(autouse=True)
def logging_put_back() -> Iterator[None]:
    """`waymark serve` sets up logging for the whole process, with a handler on the stderr
    of that moment (in CliRunner: a stream closed when the command ends). Without this,
    every later log line in the test run is a "Logging error" traceback."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(autouse=True)
def media_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cards and voice notes a test makes are kept in its own folder, never in ./var
    (commands the tests run inherit this too)."""
    directory = tmp_path / "media-cache"
    monkeypatch.setenv("MEDIA_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """SQLite; a module with `pytestmark = ON_EVERY_DATABASE` runs on PostgreSQL too."""
    with database_url(getattr(request, "param", "sqlite"), tmp_path) as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = migrated_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
async def botapi() -> AsyncIterator[StandInBotAPI]:
    async with StandInBotAPI() as server:
        yield server


@pytest.fixture(params=FRAMEWORKS)
def framework(request: pytest.FixtureRequest) -> str:
    """Each Telegram framework in turn."""
    return str(request.param)


def make_settings(
    url: str,
    botapi: StandInBotAPI | None = None,
    *,
    framework: str = "ptb",
    webhook: bool = False,
    **sending: float,
) -> Settings:
    """Settings for tests; with `webhook`, updates come by the web app's webhook route."""
    telegram = TelegramSettings(
        bot_token=SecretStr(botapi.token if botapi else ""),
        api_url=botapi.url if botapi else "http://127.0.0.1:9",
        bot_username=botapi.bot_username if botapi else "waymark_test_bot",
        request_timeout=2.0,
        poll_timeout=1,
        framework=framework,
        webhook_url=WEBHOOK_URL if webhook else "",
        webhook_secret=SecretStr(WEBHOOK_SECRET if webhook else ""),
    )
    limits = {"per_chat_per_second": 1000.0, "backoff_seconds": 0.01, "max_retry_after": 5.0}
    return Settings(
        database=DatabaseSettings(url=url),
        telegram=telegram,
        sending=SendingSettings(**(limits | sending)),  # type: ignore[arg-type]
        scheduler=SchedulerSettings(tick_seconds=3600),
    )


@pytest.fixture
def waymark(
    engine: Engine, botapi: StandInBotAPI, clock: FixedClock, db_url: str, framework: str
) -> Waymark:
    """Waymark against the stand-in Bot API, not started (tests tick it themselves)."""
    return build(make_settings(db_url, botapi, framework=framework), clock=clock, engine=engine)
