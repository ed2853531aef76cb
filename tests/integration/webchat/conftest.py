"""The web chat's tests run a Waymark without a Telegram token (as the demo does), with
voice notes from memory, reached through the real web app over ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from bot.composition import Waymark, build
from bot.media.cache import DiskCache
from bot.media.speech import Speech
from tests.conftest import make_settings
from tests.support.fakes import FixedClock
from tests.support.speech import MemoryEngine
from tests.support.webchat_world import BASE
from web.app import create_app


@pytest.fixture
def waymark(engine: Engine, clock: FixedClock, db_url: str, tmp_path: Path) -> Waymark:
    """Waymark without a Telegram token (the demo), with voice notes from memory."""
    speech = Speech([MemoryEngine()], DiskCache(tmp_path / "speech"), clock)
    return build(make_settings(db_url), clock=clock, engine=engine, speech=speech)


@pytest.fixture
async def web(waymark: Waymark) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(waymark))
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client
