"""Which address the throttles count, under a real uvicorn: X-Forwarded-For is believed
only from WEB_TRUSTED_PROXIES (empty by default, so not even from loopback)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import Engine

from bot.composition import build
from bot.services import pairing
from tests.conftest import make_settings
from tests.support.fakes import FixedClock
from web.server import listen, serve

WRONG = "y" * 32  # a link code's shape, known to nobody


@pytest.fixture(params=["", "127.0.0.1"], ids=["no-proxy-trusted", "loopback-trusted"])
async def site(
    request: pytest.FixtureRequest, engine: Engine, clock: FixedClock, db_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    settings = make_settings(db_url)
    settings.web.trusted_proxies = request.param
    waymark = build(settings, clock=clock, engine=engine)
    listener = listen("127.0.0.1", 0)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(waymark, listener, stop))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    async with httpx.AsyncClient(base_url=url) as client:
        for _ in range(200):  # until uvicorn answers
            try:
                await client.get("/healthz")
                break
            except httpx.TransportError:
                await asyncio.sleep(0.025)
        yield client, request.param
    stop.set()
    await asyncio.wait_for(running, 10)


async def _try(client: httpx.AsyncClient, forwarded_for: str) -> int:
    client.cookies.delete("waymark_join")  # each try as a new browser
    if "csrftoken" not in client.cookies:
        await client.get("/chat/join")
    response = await client.post(
        "/chat/join",
        data={"code": WRONG, "csrftoken": client.cookies["csrftoken"]},
        headers={"X-Forwarded-For": forwarded_for},
    )
    return response.status_code


async def test_forwarded_addresses_count_only_from_a_trusted_proxy(
    site: tuple[httpx.AsyncClient, str],
) -> None:
    client, trusted = site
    answers = [await _try(client, f"198.51.100.{n}") for n in range(pairing.ADDRESS_FAILURES)]
    assert answers == [400] * pairing.ADDRESS_FAILURES
    # Untrusted: every try was 127.0.0.1's, whatever the header said, so the next waits.
    # Trusted: each came from its own forwarded address, and a new one has every try left.
    assert await _try(client, "198.51.100.250") == (400 if trusted else 429)
