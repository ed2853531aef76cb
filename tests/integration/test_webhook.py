"""Telegram webhooks, for each framework: updates posted to the web app's route as
Telegram posts them (httpx over ASGI here; a real uvicorn in test_serve.py)."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import func, select

from bot.composition import Waymark, build
from bot.models import SeenUpdate
from bot.services import seen_updates
from bot.storage import UnitOfWork, build_engine, committed
from tests.conftest import WEBHOOK_SECRET, WEBHOOK_URL, make_settings
from tests.support import world
from tests.support.chat import Chat
from tests.support.database import ON_EVERY_DATABASE
from tests.support.fakes import FixedClock
from tests.support.webhook import WebhookStandIn
from web.app import create_app
from web.webhook import MAX_BODY

STOP_ASKS = "Do you want me to stop sending messages? You can send /start to turn them on again."
STOPPED = "OK. I have stopped. Send /start when you want messages again."


@pytest.fixture
async def botapi() -> AsyncIterator[WebhookStandIn]:
    async with WebhookStandIn() as server:
        yield server


@pytest.fixture
def waymark(
    engine: Engine, botapi: WebhookStandIn, clock: FixedClock, db_url: str, framework: str
) -> Waymark:
    settings = make_settings(db_url, botapi, framework=framework, webhook=True)
    return build(settings, clock=clock, engine=engine)


@pytest.fixture(autouse=True)
async def web(waymark: Waymark, botapi: WebhookStandIn) -> AsyncIterator[httpx.AsyncClient]:
    """Telegram's way in: the web app over ASGI, the stand-in posting to it."""
    transport = httpx.ASGITransport(app=create_app(waymark))
    async with httpx.AsyncClient(transport=transport, base_url="https://waymark.test") as client:
        botapi.client = client
        yield client


def _seen(app: Waymark) -> int:
    with committed(app.uow) as uow:
        return int(uow.session.exec(select(func.count()).select_from(SeenUpdate)).one())


async def test_start_sets_the_webhook_and_never_polls(
    running: Waymark, botapi: WebhookStandIn
) -> None:
    (call,) = botapi.calls_to("setWebhook")
    assert call.params["url"] == WEBHOOK_URL
    assert call.params["secret_token"] == WEBHOOK_SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query"]
    await asyncio.sleep(0.2)
    assert botapi.polls == []


async def test_onboarding_over_the_webhook(
    onboarded: Waymark, sam: Chat, botapi: WebhookStandIn
) -> None:
    help_text, _signposting = await sam.say("/help", expect=2)
    assert "Your coach is Priya." in help_text
    assert len(botapi.deliveries) == 8  # /start, six presses, /help: all by the webhook
    assert {status for _, status in botapi.deliveries} == {200}


@pytest.mark.parametrize("secret", [None, "", "wrong", WEBHOOK_SECRET + "x", WEBHOOK_SECRET[:-1]])
async def test_a_wrong_or_missing_secret_is_refused(
    running: Waymark, botapi: WebhookStandIn, sam: Chat, secret: str | None
) -> None:
    world.add_coach(running)
    world.add_person(running)
    code = world.invite(running)
    update = botapi.capture(lambda: botapi.send_text(sam.chat_id, f"/start {code}"))
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    assert botapi.client is not None
    response = await botapi.client.post("/telegram/webhook", json=update, headers=headers)
    assert response.status_code == 401
    await asyncio.sleep(0.2)
    assert sam.sent() == []
    assert _seen(running) == 0


@ON_EVERY_DATABASE
async def test_the_same_update_twice_is_handled_once_even_after_a_restart(
    onboarded: Waymark, botapi: WebhookStandIn, sam: Chat, clock: FixedClock
) -> None:
    update = botapi.capture(lambda: botapi.send_text(sam.chat_id, "/next"))
    before = len(sam.sent())
    first, again = await botapi.post(update), await botapi.post(update)
    assert (first.status_code, again.status_code) == (200, 200)  # Telegram must stop retrying
    await sam.wait_for_messages(before + 1)
    assert len(sam.sent()) == before + 1

    # Another worker (or this one after a restart) gets the same update: still once.
    other = build(onboarded.settings, clock=clock, engine=onboarded.engine)
    await other.start()
    try:
        transport = httpx.ASGITransport(app=create_app(other))
        async with httpx.AsyncClient(transport=transport, base_url="https://w.test") as client:
            headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
            response = await client.post("/telegram/webhook", json=update, headers=headers)
        assert response.status_code == 200
        assert other.webhook is not None
        await other.webhook.drain()
    finally:
        await other.stop()
    await asyncio.sleep(0.2)
    assert len(sam.sent()) == before + 1


async def test_one_chats_updates_are_handled_in_order(
    onboarded: Waymark, botapi: WebhookStandIn, sam: Chat
) -> None:
    before = len(sam.sent())
    next_id = int(botapi.last_message(sam.chat_id)["message_id"]) + 1  # type: ignore[index]
    stop = botapi.capture(lambda: botapi.send_text(sam.chat_id, "/stop"))
    yes = botapi.capture(lambda: botapi.press_button(sam.chat_id, next_id, "st:yes"))
    botapi.delay("sendMessage", 0.3)  # the answer to /stop is slow to go out
    # Both are acknowledged before either is handled; the answer to /stop comes first.
    assert [(await botapi.post(u)).status_code for u in (stop, yes)] == [200, 200]
    await sam.wait_for_messages(before + 2)
    assert sam.texts()[before:] == [STOP_ASKS, STOPPED]


async def test_updates_are_acknowledged_before_they_are_handled(
    onboarded: Waymark, botapi: WebhookStandIn, sam: Chat
) -> None:
    botapi.delay("sendMessage", 1.0)  # Telegram is slow to take the reply
    update = botapi.capture(lambda: botapi.send_text(sam.chat_id, "/next"))
    loop = asyncio.get_running_loop()
    began = loop.time()
    assert (await botapi.post(update)).status_code == 200
    assert loop.time() - began < 0.5
    await sam.wait_for_messages(len(sam.sent()) + 1)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"", 400),
        (b"[1, 2]", 400),
        (b'"update"', 400),
        (b'{"message": {"text": "hi"}}', 400),  # no update_id
        (b'{"update_id": "7", "message": {}}', 400),
        (b'{"update_id": true, "message": {}}', 400),
        (b'{"update_id": 7, "message": {"text": "no chat, no date"}}', 400),
        (b'{"update_id": 7, "callback_query": "pressed"}', 400),
        (b'{"update_id": 7, "callback_query": {"id": 5, "data": "st:yes"}}', 400),
        (
            b'{"update_id": 7, "message": {"message_id": 1, "date": 1, "text": "hi",'
            b' "chat": {"id": "x", "type": "private"}}}',
            400,
        ),
        (
            b'{"update_id": 7, "message": {"message_id": 1, "date": 1, "text": ["hi"],'
            b' "chat": {"id": 5001, "type": "private"}}}',
            400,
        ),
        (b"[" * 100_000 + b"]" * 100_000, 400),  # nested too deep for any parser
        (b"{" + b" " * MAX_BODY + b"}", 413),
    ],
)
async def test_bad_bodies_get_a_4xx_and_nothing_happens(
    running: Waymark, botapi: WebhookStandIn, sam: Chat, body: bytes, status: int
) -> None:
    assert botapi.client is not None
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    response = await botapi.client.post("/telegram/webhook", content=body, headers=headers)
    assert response.status_code == status
    assert "detail" in response.json()
    assert _seen(running) == 0
    # And the bot still answers.
    world.add_coach(running)
    world.add_person(running)
    assert len(await sam.say(f"/start {world.invite(running)}", expect=3)) == 3


async def test_updates_the_bot_did_not_ask_for_are_acknowledged_and_ignored(
    onboarded: Waymark, botapi: WebhookStandIn, sam: Chat
) -> None:
    message = botapi.capture(lambda: botapi.send_text(sam.chat_id, "/help"))["message"]
    edited = {"update_id": 999_001, "edited_message": message}
    blocked = {
        "update_id": 999_002,
        "my_chat_member": {"chat": message["chat"], "from": message["from"], "date": 1},
    }
    before = len(sam.sent())
    for update in (edited, blocked):
        assert (await botapi.post(update)).status_code == 200
    await asyncio.sleep(0.3)
    assert len(sam.sent()) == before


async def test_healthz_reports_database_scheduler_and_telegram(
    running: Waymark, web: httpx.AsyncClient, framework: str
) -> None:
    response = await web.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "roles": ["bot", "dispatch", "web"],
        "scheduler": "running",
        "telegram": {
            "framework": framework,
            "mode": "webhook",
            "receiving": True,
            "updates_in_hand": 0,
        },
    }


async def test_healthz_is_503_when_the_database_is_down(framework: str) -> None:
    # Nothing listens on port 9: every connection is refused at once.
    settings = make_settings("postgresql://waymark@127.0.0.1:9/waymark", framework=framework)
    engine = build_engine(settings.database.url)
    app = build(settings, engine=engine)
    transport = httpx.ASGITransport(app=create_app(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://w.test") as client:
        response = await client.get("/healthz")
    engine.dispose()
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert response.json()["telegram"] == {
        "framework": framework,
        "mode": "off",
        "receiving": False,
    }


async def test_before_start_and_after_stop_updates_are_refused_for_later(
    waymark: Waymark, botapi: WebhookStandIn, sam: Chat
) -> None:
    update = botapi.capture(lambda: botapi.send_text(sam.chat_id, "/help"))
    client = botapi.client
    assert client is not None

    async def post() -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        return (await client.post("/telegram/webhook", json=update, headers=headers)).status_code

    assert await post() == 503
    await waymark.start()
    await waymark.stop()
    assert await post() == 503
    assert sam.sent() == []


async def test_without_a_webhook_url_the_route_is_off(db_url: str, engine: Engine) -> None:
    app = build(make_settings(db_url), engine=engine)  # no token: polling or nothing
    transport = httpx.ASGITransport(app=create_app(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://w.test") as client:
        response = await client.post(
            "/telegram/webhook",
            content=json.dumps({"update_id": 1}),
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        )
    assert response.status_code == 404


@ON_EVERY_DATABASE
def test_update_ids_are_kept_for_a_day(engine: Engine, clock: FixedClock) -> None:
    with UnitOfWork(engine) as uow:
        assert seen_updates.remember(uow.session, 41, clock.now())
        assert not seen_updates.remember(uow.session, 41, clock.now())
        seen_updates.forget_old(uow.session, clock.now() + timedelta(hours=23))
        assert not seen_updates.remember(uow.session, 41, clock.now())
        seen_updates.forget_old(uow.session, clock.now() + timedelta(hours=25))
        assert seen_updates.remember(uow.session, 41, clock.now())
        uow.commit()


# Property test: forged and broken updates, shaped like the real thing with any part
# replaced by any JSON value, never crash a worker in either framework.
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_PARTS = [
    ("update_id",),
    ("message",),
    ("message", "chat"),
    ("message", "chat", "id"),
    ("message", "chat", "type"),
    ("message", "text"),
    ("message", "message_id"),
    ("message", "date"),
    ("message", "from"),
    ("message", "entities"),
    ("message", "voice"),
    ("callback_query",),
    ("edited_message",),
]


def _replaced(update: dict[str, Any], path: tuple[str, ...], value: object) -> dict[str, Any]:
    body = copy.deepcopy(update)
    where: Any = body
    for part in path[:-1]:
        if not isinstance(where.get(part), dict):
            where[part] = {}
        where = where[part]
    where[path[-1]] = value
    return body


def _forged_bodies(update: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """`count` bodies drawn by hypothesis (drawn first, then posted: the app runs on the
    test's event loop, which a hypothesis example cannot wait on)."""
    bodies: list[dict[str, Any]] = []

    @settings(max_examples=count, deadline=None, database=None)
    @given(changes=st.lists(st.tuples(st.sampled_from(_PARTS), _json), min_size=1, max_size=3))
    def draw(changes: list[tuple[tuple[str, ...], object]]) -> None:
        body = update
        for path, value in changes:
            body = _replaced(body, path, value)
        bodies.append(body)

    draw()
    return bodies


async def test_forged_updates_never_crash_a_worker(
    onboarded: Waymark, botapi: WebhookStandIn, sam: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    assert onboarded.webhook is not None
    update = botapi.capture(lambda: botapi.send_text(sam.chat_id, "/help"))
    for body in _forged_bodies(update, 60):
        caplog.clear()
        response = await botapi.post(body)
        assert response.status_code < 500, (body, response.text)
        await onboarded.webhook.drain()
        failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert failures == [], body
    assert not any("Traceback" in str(call.params.get("text", "")) for call in sam.sent())
    # And the worker still answers a real update.
    help_text, _signposting = await sam.say("/help", expect=2)
    assert "Your coach is Priya." in help_text
