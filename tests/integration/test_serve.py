"""`waymark serve`: the bot, the scheduler and the web app in one event loop, under a real
uvicorn on a loopback port, with each framework, by webhook and by long polling."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.channels.telegram.runtime import API_UNREACHABLE, TOKEN_REFUSED
from bot.cli import app as cli
from bot.composition import build
from bot.domain.errors import Invalid
from tests.conftest import make_settings
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat
from tests.support.fakes import FixedClock
from tests.support.running import Running
from tests.support.webhook import WebhookStandIn
from web.server import listen, serve


@pytest.fixture
async def botapi() -> AsyncIterator[WebhookStandIn]:
    async with WebhookStandIn() as server:
        yield server


@pytest.mark.parametrize("webhook", [True, False], ids=["webhook", "polling"])
async def test_serve_runs_bot_scheduler_and_web_app_together(
    engine: Engine,
    botapi: WebhookStandIn,
    clock: FixedClock,
    db_url: str,
    framework: str,
    webhook: bool,
) -> None:
    waymark = build(
        make_settings(db_url, botapi, framework=framework, webhook=webhook),
        clock=clock,
        engine=engine,
    )
    listener = listen("127.0.0.1", 0)
    port = listener.getsockname()[1]
    stop = asyncio.Event()
    running = asyncio.create_task(serve(waymark, listener, stop))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        botapi.client = client  # Telegram posts over loopback, once a webhook is set
        await _ready(client)
        world.add_coach(waymark)
        world.add_person(waymark)
        sam = Chat(botapi, 5001)
        replies = await sam.say(f"/start {world.invite(waymark)}", expect=3)
        assert replies[0].startswith("Hello Sam.")
        assert bool(botapi.deliveries) is webhook  # by the webhook, or by getUpdates

        health = (await client.get("/healthz")).json()
        assert health["scheduler"] == "running"
        assert health["telegram"]["framework"] == framework
        assert health["telegram"]["mode"] == ("webhook" if webhook else "polling")
        assert health["telegram"]["receiving"] is True

        stop.set()
        await asyncio.wait_for(running, 10)
        with pytest.raises(httpx.ConnectError):
            await client.get("/healthz")
    assert not waymark.started
    assert not waymark.runner.running


async def _ready(client: httpx.AsyncClient) -> None:
    """Wait for /healthz to say updates are coming in, as a load balancer would."""
    for _ in range(200):
        try:
            health = await client.get("/healthz")
        except httpx.TransportError:
            health = None
        if health is not None and health.json()["telegram"]["receiving"]:
            return
        await asyncio.sleep(0.025)
    raise AssertionError("waymark serve did not get ready")


def test_a_port_in_use_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'serve.db'}")
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-TOKEN")
        monkeypatch.setenv("WEB_HOST", "127.0.0.1")
        monkeypatch.setenv("WEB_PORT", str(port))
        # `serve` sets up logging to this run's stderr; an earlier run's handler (its
        # stream closed by now) must not be what the migrations log to.
        monkeypatch.setattr(logging.root, "handlers", [])
        result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.output


def test_serve_without_a_token_runs_with_the_web_chat_alone(tmp_path: Path) -> None:
    """No TELEGRAM_BOT_TOKEN: the web app, the scheduler and the web chat run, and the
    log says Telegram is off; Ctrl-C stops it cleanly."""
    with Running(
        tmp_path,
        "serve",
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
        MEDIA_CACHE_DIR=str(tmp_path / "media"),
        WEB_PORT="0",
    ) as serve:
        port = serve.wait_for_log(r"waymark serving port=(\d+)", timeout=60)[1]
        assert "Telegram is off, the web chat is the only channel" in serve.logs()
        status, body = serve.get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200
        health = json.loads(body)
        assert health["telegram"] == {"framework": "ptb", "mode": "off", "receiving": False}
        assert health["scheduler"] == "running"
        assert serve.interrupt(timeout=15) == 0
    assert "Traceback" not in serve.logs()


async def test_a_refused_token_or_an_unreachable_api_is_a_clear_error(
    engine: Engine, clock: FixedClock, db_url: str, framework: str
) -> None:
    async with StandInBotAPI(token="654321:ANOTHER-BOT") as other_bot:
        refused = make_settings(db_url, other_bot, framework=framework)
        refused.telegram.bot_token = SecretStr("123456:OUR-SECRET-TOKEN")
        unreachable = make_settings(db_url, other_bot, framework=framework)
        unreachable.telegram.api_url = "http://127.0.0.1:9"  # nothing listens there
        for settings, message in ((refused, TOKEN_REFUSED), (unreachable, API_UNREACHABLE)):
            waymark = build(settings, clock=clock, engine=engine)
            with pytest.raises(Invalid, match=message) as raised:
                await waymark.start()
            await waymark.stop()
            assert "OUR-SECRET" not in str(raised.value)
