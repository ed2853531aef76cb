"""`waymark serve --with ...`: a worker runs only the roles it is given (bot, web,
dispatch), /healthz always; and a worker whose getUpdates meets another poller (409
Conflict) says so once and goes on serving its other roles, with each framework."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.channels.telegram.runtime import OTHER_POLLER
from bot.cli import app as cli
from bot.composition import Waymark, build
from bot.domain.roles import parse_roles
from tests.conftest import make_settings
from tests.support.botapi import StandInBotAPI
from tests.support.fakes import FixedClock
from web.server import listen, serve

CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"  # noqa: E501


@asynccontextmanager
async def _serving(waymark: Waymark) -> AsyncIterator[httpx.AsyncClient]:
    listener = listen("127.0.0.1", 0)
    port = listener.getsockname()[1]
    stop = asyncio.Event()
    running = asyncio.create_task(serve(waymark, listener, stop))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await _up(client)
            yield client
    finally:
        stop.set()
        await asyncio.wait_for(running, 10)


async def _up(client: httpx.AsyncClient) -> None:
    for _ in range(400):
        try:
            await client.get("/healthz")
            return
        except httpx.TransportError:
            await asyncio.sleep(0.025)
    raise AssertionError("waymark serve did not come up")


async def _until(condition: object, what: str) -> None:
    """Until `condition()` holds (at most 10 s): a state another task reaches."""
    for _ in range(1000):
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never: {what}")


@pytest.mark.parametrize(
    ("given", "roles"),
    [
        ("bot,web,dispatch", {"bot", "web", "dispatch"}),
        (" Dispatch , web ", {"web", "dispatch"}),
        ("bot,bot", {"bot"}),
    ],
)
def test_roles_are_read_in_any_order_and_case(given: str, roles: set[str]) -> None:
    assert parse_roles(given) == roles


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("bot,sending", "--with: no role named sending; the roles are bot, web, dispatch"),
        (",", "--with needs at least one role: bot, web, dispatch"),
    ],
)
def test_a_wrong_role_is_a_clear_error_before_anything_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, said: str
) -> None:
    with socket.socket() as taken:  # not even the port is tried
        taken.bind(("127.0.0.1", 0))
        monkeypatch.setenv("WEB_PORT", str(taken.getsockname()[1]))
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'roles.db'}")
        result = CliRunner().invoke(cli, ["serve", "--with", given])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {said}"


async def test_a_dispatch_worker_sends_and_serves_no_pages_or_updates(
    engine: Engine, botapi: StandInBotAPI, clock: FixedClock, db_url: str, framework: str
) -> None:
    settings = make_settings(db_url, botapi, framework=framework)
    waymark = build(settings, clock=clock, engine=engine, roles=frozenset({"dispatch"}))
    assert waymark.telegram is not None  # to send with
    async with _serving(waymark) as client:
        health = (await client.get("/healthz")).json()
        assert health["roles"] == ["dispatch"]
        assert health["scheduler"] == "running"
        assert health["telegram"]["mode"] == "off"
        assert (await client.get("/login")).status_code == 404
        assert (await client.get("/api/v1/openapi.json")).status_code == 404
    assert botapi.calls_to("getUpdates") == []
    assert botapi.calls_to("setMyCommands") == []


async def test_a_web_worker_builds_no_telegram_and_does_not_tick(
    engine: Engine, botapi: StandInBotAPI, clock: FixedClock, db_url: str
) -> None:
    settings = make_settings(db_url, botapi)
    waymark = build(settings, clock=clock, engine=engine, roles=frozenset({"web"}))
    assert waymark.telegram is None
    assert waymark.webhook is None
    async with _serving(waymark) as client:
        health = (await client.get("/healthz")).json()
        assert health["scheduler"] == "off"
        assert health["telegram"]["receiving"] is False
        assert (await client.get("/login")).status_code == 200
    assert not waymark.runner.running
    assert botapi.calls == []  # not even getMe


async def test_a_bot_worker_polls_and_leaves_the_scheduler_to_others(
    engine: Engine, botapi: StandInBotAPI, clock: FixedClock, db_url: str, framework: str
) -> None:
    settings = make_settings(db_url, botapi, framework=framework)
    waymark = build(settings, clock=clock, engine=engine, roles=frozenset({"bot"}))
    async with _serving(waymark) as client:
        await botapi.wait_for("getUpdates")
        health = (await client.get("/healthz")).json()
        assert health["scheduler"] == "off"
        assert health["telegram"]["mode"] == "polling"
        assert health["telegram"]["receiving"] is True
        assert (await client.get("/login")).status_code == 404
        assert not waymark.runner.running


async def test_another_poller_is_said_once_and_the_other_roles_go_on(
    engine: Engine,
    botapi: StandInBotAPI,
    clock: FixedClock,
    db_url: str,
    framework: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Telegram answers a second poller's getUpdates with 409 for as long as the first
    polls: the worker gives way instead of asking again and again."""
    botapi.fail_next("getUpdates", 409, times=1000, description=CONFLICT)
    waymark = build(make_settings(db_url, botapi, framework=framework), clock=clock, engine=engine)
    telegram = waymark.telegram
    assert telegram is not None
    with caplog.at_level(logging.INFO):
        async with _serving(waymark) as client:
            await _until(lambda: telegram.other_poller and not telegram.polling, "gave way")
            health = (await client.get("/healthz")).json()
            polls = len(botapi.calls_to("getUpdates"))
            assert health["telegram"]["other_poller"] is True
            assert health["telegram"]["receiving"] is False
            assert health["scheduler"] == "running"  # the other roles go on
            assert (await client.get("/login")).status_code == 200
            assert waymark.runner.running
            await waymark.dispatcher.tick()  # sending still works: the bot is still open
        assert len(botapi.calls_to("getUpdates")) == polls  # and no one asks again
    assert polls <= 2
    said = [r for r in caplog.records if r.getMessage() == OTHER_POLLER]
    assert len(said) == 1
    assert said[0].levelno == logging.WARNING
    assert getattr(said[0], "bot_id", None) == int(botapi.token.split(":")[0])
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures == []
