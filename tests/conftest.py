"""Shared fixtures: a clock, a database (SQLite, and PostgreSQL when configured), the
stand-in Bot API server and a whole Waymark composed against them."""

from __future__ import annotations

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

# python-telegram-bot 22 warns unless durations are timedeltas; warnings are errors here.
os.environ.setdefault("PTB_TIMEDELTA", "true")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


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


def make_settings(url: str, botapi: StandInBotAPI | None = None, **sending: float) -> Settings:
    telegram = TelegramSettings(
        bot_token=SecretStr(botapi.token if botapi else ""),
        api_url=botapi.url if botapi else "http://127.0.0.1:9",
        bot_username=botapi.bot_username if botapi else "waymark_test_bot",
        request_timeout=2.0,
        poll_timeout=1,
    )
    limits = {"per_chat_per_second": 1000.0, "backoff_seconds": 0.01, "max_retry_after": 5.0}
    return Settings(
        database=DatabaseSettings(url=url),
        telegram=telegram,
        sending=SendingSettings(**(limits | sending)),  # type: ignore[arg-type]
        scheduler=SchedulerSettings(tick_seconds=3600),
    )


@pytest.fixture
def waymark(engine: Engine, botapi: StandInBotAPI, clock: FixedClock, db_url: str) -> Waymark:
    """Waymark against the stand-in Bot API, not started (tests tick it themselves)."""
    return build(make_settings(db_url, botapi), clock=clock, engine=engine)
