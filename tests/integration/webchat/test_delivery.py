"""What the real dispatcher sends reaches the web chat: each row by its own channel,
token or not, and live over Server-Sent Events from a real uvicorn on loopback."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlmodel import col, select

from bot.composition import Waymark, build
from bot.models import ChannelLink, Consent, OutboxMessage, WebchatMessage
from bot.services import people
from bot.storage import committed
from tests.conftest import make_settings
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat
from tests.support.database import ON_EVERY_DATABASE
from tests.support.fakes import FixedClock
from tests.support.webchat import WebPerson
from tests.support.webchat_world import (
    BASE,
    EVENING_BEFORE,
    REMINDER,
    STARTS,
    onboarded,
    reminder_due,
)
from web.app import create_app
from web.server import listen, serve

pytestmark = ON_EVERY_DATABASE


async def test_each_row_goes_by_its_own_channel(
    engine: Engine, clock: FixedClock, db_url: str, botapi: StandInBotAPI
) -> None:
    """With a token, a Telegram person gets Telegram and a web chat person the web chat;
    without one, only the Telegram row fails."""
    app = build(make_settings(db_url, botapi), clock=clock, engine=engine)
    world.add_coach(app)
    for ref in ("IOM-0001", "IOM-0002"):
        person = world.add_person(app, ref=ref)
        _consent(app, ref)
        world.add_appointment(app, STARTS, ref=ref)
    assert person.id is not None
    chat_id = await app.webchat.intake.link_person(person.id)
    with committed(app.uow) as uow:
        sam = people.person_by_ref(uow.session, "IOM-0001")
        uow.session.add(
            ChannelLink(channel="telegram", chat_id="5001", person_id=sam.id, linked_at=clock.now())
        )
        uow.commit()
    clock.set(EVENING_BEFORE)
    await app.open()
    try:
        assert (await app.dispatcher.tick()).counts == {"sent": 2}
    finally:
        await app.stop()
    assert Chat(botapi, 5001).texts() == [REMINDER]
    async with _client(app) as web:
        assert "Sam, tomorrow" in (await WebPerson(web, str(chat_id)).last())["words"]

    world.add_appointment(app, datetime(2026, 11, 26, 10, 0, tzinfo=UTC), ref="IOM-0002")
    world.add_appointment(app, datetime(2026, 11, 26, 10, 0, tzinfo=UTC), ref="IOM-0001")
    clock.set(datetime(2026, 11, 25, 18, 0, tzinfo=UTC))
    tokenless = build(make_settings(db_url), clock=clock, engine=engine)
    counts = (await tokenless.dispatcher.tick()).counts  # and the morning ones, now stale
    assert (counts["sent"], counts["failed"]) == (1, 1)
    with committed(app.uow) as uow:
        failed = uow.session.exec(select(OutboxMessage).where(OutboxMessage.status == "failed"))
        assert [row.last_error for row in failed] == ["no telegram channel is configured"]


def _consent(app: Waymark, ref: str) -> None:
    with committed(app.uow) as uow:
        person = people.person_by_ref(uow.session, ref)
        person.consent = Consent.GIVEN
        uow.session.add(person)
        uow.commit()


def _client(app: Waymark) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(app)), base_url=BASE)


async def test_new_messages_and_closed_buttons_arrive_live(
    waymark: Waymark, web: httpx.AsyncClient
) -> None:
    """Server-Sent Events over a real uvicorn: a reminder arrives as it is sent, a press
    closes its buttons live, a page that comes back with Last-Event-ID misses nothing, and
    stopping the server ends the streams."""
    sam = await onboarded(waymark, web)
    appointment_id = await reminder_due(waymark)
    last_id = (await sam.last())["id"]
    listener = listen("127.0.0.1", 0)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(waymark, listener, stop))
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        live = WebPerson(client, sam.chat_id)
        await live.open()
        events = f"{live.path}/events"
        async with client.stream("GET", events, params={"after": last_id}) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.aiter_lines()
            synced = [await _next_event(lines) for _ in range(_closed_before(waymark, last_id))]
            assert {e["event"] for e in synced} == {"update"}  # what a page may show as open
            await waymark.dispatcher.tick()
            reminder = await _next_event(lines)
            assert (reminder["event"], reminder["data"]["words"]) == ("message", REMINDER)
            assert reminder["id"] == str(reminder["data"]["id"])

            await live.press_on(int(reminder["id"]), f"ap:{appointment_id}:1:coming")
            seen = [await _next_event(lines) for _ in range(3)]
            kinds = {(e["event"], e["data"]["words"].split("\n\n")[0]) for e in seen}
            assert kinds == {
                ("message", "✅ I am coming"),
                ("update", REMINDER),
                ("message", "Thank you. See you there."),
            }

        resume = {"Last-Event-ID": str(last_id)}
        async with client.stream("GET", events, headers=resume) as stream:
            lines = stream.aiter_lines()
            for _ in range(_closed_before(waymark, last_id)):
                await _next_event(lines)
            again = [await _next_event(lines) for _ in range(3)]
            assert [e["event"] for e in again] == ["message"] * 3
            assert again[0]["data"]["closed"] is True  # as it is now
            stop.set()  # an open stream does not hold the server up
            await asyncio.wait_for(running, 10)


def _closed_before(app: Waymark, last_id: int) -> int:
    """How many messages up to `last_id` had buttons that were closed."""
    with committed(app.uow) as uow:
        rows = uow.session.exec(
            select(WebchatMessage).where(col(WebchatMessage.id) <= last_id, WebchatMessage.closed)
        ).all()
    return len(rows)


async def _next_event(lines: AsyncIterator[str]) -> dict[str, Any]:
    """The next event with data: its name, id and JSON."""
    event: dict[str, Any] = {"event": "message", "id": None}
    async with asyncio.timeout(5):
        async for line in lines:
            if not line:
                if "data" in event:
                    return event
                event = {"event": "message", "id": None}
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "data":
                event["data"] = json.loads(value)
            elif field in ("event", "id"):
                event[field] = value
    raise AssertionError("the stream ended")
