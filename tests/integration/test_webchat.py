"""The web chat, the phone in the browser, through the real web app (httpx over ASGI; a
real uvicorn on loopback for the live stream) and the real dispatcher: the same flows and
formats as Telegram, with no Telegram token at all. Runs on every database."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from bot.composition import Waymark, build
from bot.media.cache import DiskCache
from bot.media.speech import Speech
from bot.models import (
    Appointment,
    ChannelLink,
    Consent,
    EngagementEvent,
    OutboxMessage,
    Person,
    WebchatMessage,
)
from bot.services import people
from bot.services.webchat import new_chat_id
from tests.conftest import make_settings
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat
from tests.support.database import ON_EVERY_DATABASE
from tests.support.fakes import FixedClock
from tests.support.speech import MemoryEngine
from tests.support.webchat import WebPerson, data_of, labels_of
from web.app import create_app
from web.server import listen, serve

pytestmark = ON_EVERY_DATABASE

STARTS = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # Wednesday 25 November, 10:00 GMT
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
REMINDER = (
    "Tomorrow 10:00, Camberwell\n"
    "Sam, tomorrow: Wednesday 25 November, 10:00, Camberwell Office, "
    "45 Camberwell Road. You will see Jo."
)
LABELS = [
    "✅ I am coming",
    "⏰ Running late",
    "❌ I can't come",
    "🗺 How do I get there",
    "📅 Add to calendar",
    "🔊 Read it to me",
    "🖼 Show me",
]
BASE = "https://waymark.test"


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


async def onboarded(
    app: Waymark, web: httpx.AsyncClient, ref: str = "IOM-0001", name: str = "Sam", **kw: str
) -> WebPerson:
    """A person linked straight to the web chat and through onboarding by its buttons."""
    if not people_exist(app):
        world.add_coach(app)
    person = world.add_person(app, ref=ref, name=name)
    assert person.id is not None
    chat_id = await app.webchat.intake.link_person(person.id)
    assert chat_id is not None
    sam = WebPerson(web, chat_id)
    await sam.open()
    await sam.press("ob:consent:agree")
    await sam.press(f"ob:format:{kw.get('format_', 'words')}")
    await sam.press("ob:reminders:recommended")
    await sam.press("ob:quiet:quiet_none")
    await sam.press(f"ob:discreet:discreet_{kw.get('discreet', 'on')}")
    await sam.press("ob:practice:coming")
    return sam


def people_exist(app: Waymark) -> bool:
    with app.uow() as uow:
        return uow.session.exec(select(Person)).first() is not None


async def reminder_due(app: Waymark, ref: str = "IOM-0001") -> int:
    appointment = world.add_appointment(app, STARTS, ref=ref)
    assert appointment.id is not None
    app.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]
    return appointment.id


async def test_onboarding_runs_in_the_web_chat(waymark: Waymark, web: httpx.AsyncClient) -> None:
    sam = await onboarded(waymark, web)
    messages = await sam.messages()
    assert messages[0]["words"].startswith("Hello Sam. I am Waymark.")
    assert [m["words"] for m in messages if m["from_person"]][:2] == ["✅ I agree", "📝 Words"]
    with waymark.uow() as uow:
        person = uow.session.exec(select(Person)).one()
        link = uow.session.exec(select(ChannelLink)).one()
    assert person.consent == Consent.GIVEN
    assert (link.channel, link.chat_id, len(link.chat_id)) == ("webchat", sam.chat_id, 32)


async def test_a_due_reminder_shows_with_its_buttons(
    waymark: Waymark, web: httpx.AsyncClient
) -> None:
    sam = await onboarded(waymark, web)
    appointment_id = await reminder_due(waymark)

    assert (await waymark.dispatcher.tick()).counts == {"sent": 1}

    reminder = await sam.last()
    assert (reminder["words"], reminder["media"], reminder["closed"]) == (REMINDER, None, False)
    assert labels_of(reminder) == LABELS
    assert data_of(reminder)[0] == f"ap:{appointment_id}:1:coming"
    with waymark.uow() as uow:
        row = uow.session.exec(select(OutboxMessage).where(OutboxMessage.status == "sent")).one()
    assert row.channel_message_id == str(reminder["id"])


async def test_coming_answers_closes_and_is_recorded(
    waymark: Waymark, web: httpx.AsyncClient
) -> None:
    sam = await onboarded(waymark, web)
    appointment_id = await reminder_due(waymark)
    await waymark.dispatcher.tick()
    reminder = await sam.last()

    answer = await sam.press_on(reminder["id"], f"ap:{appointment_id}:1:coming")

    assert answer.status_code == 200
    assert answer.json() == {"ok": True, "toast": None}
    pressed, thanks = await sam.messages(after=reminder["id"])
    assert (pressed["from_person"], pressed["words"]) == (True, "✅ I am coming")
    assert thanks["words"] == "Thank you. See you there."
    (closed,) = [m for m in await sam.messages() if m["id"] == reminder["id"]]
    assert closed["words"] == f"{REMINDER}\n\nYou said: ✅ I am coming"
    assert (closed["closed"], closed["buttons"]) == (True, [])
    with waymark.uow() as uow:
        appointment = uow.session.get(Appointment, appointment_id)
        kinds = uow.session.exec(select(EngagementEvent.kind)).all()
    assert appointment is not None
    assert appointment.confirmation == "coming"
    assert {"message_sent", "in_button", "reminder_reply"} <= set(kinds)

    again = await sam.press_on(reminder["id"], f"ap:{appointment_id}:1:coming")
    assert (again.status_code, again.json()) == (
        409,
        {"detail": "That question has been answered already."},
    )
    forged = await sam.press_on(thanks["id"], "ap:999:1:coming")
    assert forged.status_code == 422


async def test_pictures_voice_and_calendar_files(waymark: Waymark, web: httpx.AsyncClient) -> None:
    alex = await onboarded(waymark, web, "IOM-0002", "Alex", format_="pictures")
    kim = await onboarded(waymark, web, "IOM-0003", "Kim", format_="voice")
    appointment = await reminder_due(waymark, "IOM-0002")
    world.add_appointment(waymark, STARTS, ref="IOM-0003")

    assert (await waymark.dispatcher.tick()).counts == {"sent": 2}

    card, voice = await alex.last(), await kim.last()
    assert card["media"]["kind"] == "photo"
    assert card["words"] == "Alex, tomorrow at 10:00"  # the caption; the card says the rest
    assert card["text"].startswith("Tomorrow 10:00, Camberwell\nAlex, tomorrow: Wednesday")
    assert labels_of(card) == LABELS
    image = await web.get(card["media"]["url"])
    assert (image.status_code, image.headers["content-type"]) == (200, "image/png")
    assert image.content.startswith(b"\x89PNG")
    assert voice["media"]["kind"] == "voice"
    sound = await web.get(voice["media"]["url"])
    assert (sound.headers["content-type"], sound.content[:4]) == ("audio/ogg", b"OggS")
    # A file is only served to the chat it was sent to.
    elsewhere = card["media"]["url"].replace(alex.chat_id, kim.chat_id)
    assert (await web.get(elsewhere)).status_code == 404

    await alex.press(f"ap:{appointment}:1:calendar")
    calendar = await alex.last()
    assert calendar["media"]["kind"] == "document"
    ics = await web.get(calendar["media"]["url"])
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.headers["content-disposition"].startswith("attachment;")
    assert b"BEGIN:VCALENDAR" in ics.content


async def test_typed_words_are_handled_but_never_stored(
    waymark: Waymark, web: httpx.AsyncClient
) -> None:
    sam = await onboarded(waymark, web)
    before = await sam.last()

    assert (await sam.say("/help")).json() == {"ok": True, "toast": None}
    assert (await sam.say("my secret words about tuesday")).status_code == 200

    after = await sam.messages(after=before["id"])
    assert any("Your coach is Priya." in m["words"] for m in after)
    assert not any(m["from_person"] for m in after)
    with waymark.uow() as uow:
        texts = uow.session.exec(select(WebchatMessage.text)).all()
    assert not any("secret" in text or text == "/help" for text in texts)


async def test_an_unknown_chat_is_a_404_that_says_nothing(
    waymark: Waymark, web: httpx.AsyncClient
) -> None:
    sam = await onboarded(waymark, web)
    stranger = WebPerson(web, new_chat_id())
    for response in [
        await web.get(stranger.path),
        await web.get(f"{stranger.path}/messages"),
        await web.get(f"{stranger.path}/events"),
        await web.get(f"{stranger.path}/files/{'0' * 64}"),
        await web.get("/chat/not-a-chat"),
        await stranger.say("hello"),
        await stranger.press_on(1, "ob:consent:agree"),
    ]:
        assert response.status_code == 404
        assert "Sam" not in response.text
    assert (await web.get(f"{sam.path}/files/{'0' * 64}")).status_code == 404


async def test_oversized_or_empty_words_are_a_clear_422(
    waymark: Waymark, web: httpx.AsyncClient
) -> None:
    sam = await onboarded(waymark, web)
    too_long = await sam.say("a" * 4001)
    assert (too_long.status_code, too_long.json()) == (
        422,
        {"detail": "A message can be 4,000 characters at most."},
    )
    assert (await sam.say("   ")).status_code == 422
    assert (await sam.say("a" * 4000)).status_code == 200


async def test_posts_need_the_csrf_token(waymark: Waymark, web: httpx.AsyncClient) -> None:
    sam = await onboarded(waymark, web)
    refused = await web.post(f"{sam.path}/say", data={"text": "hi"}, headers={"x-csrftoken": "x"})
    assert refused.status_code == 403
    page = await sam.open()
    token = web.cookies["csrftoken"]
    assert f'value="{token}"' in page.text  # the form's own field, for a page without script
    plain = await web.post(f"{sam.path}/say", data={"text": "/help", "csrftoken": token})
    assert (plain.status_code, plain.headers["location"]) == (303, f"{BASE}{sam.path}")


async def test_an_invite_is_redeemed_from_the_page(
    waymark: Waymark, web: httpx.AsyncClient
) -> None:
    world.add_coach(waymark)
    world.add_person(waymark)
    code = world.invite(waymark)
    await web.get("/chat/join")  # the CSRF cookie
    token = {"csrftoken": web.cookies["csrftoken"]}

    form = await web.get("/chat/join", params={"code": code})
    assert form.status_code == 200
    assert f'value="{code}"' in form.text
    with waymark.uow() as uow:
        assert uow.session.exec(select(ChannelLink)).first() is None  # a GET spends nothing

    wrong = await web.post("/chat/join", data={"code": "x" * 32, **token})
    assert wrong.status_code == 400
    assert "This link does not work." in wrong.text
    joined = await web.post("/chat/join", data={"code": code, **token})

    assert joined.status_code == 303
    chat_id = joined.headers["location"].rsplit("/", 1)[1]
    with waymark.uow() as uow:
        link = uow.session.exec(select(ChannelLink)).one()
        orphans = uow.session.exec(
            select(WebchatMessage).where(col(WebchatMessage.chat_id) != chat_id)
        ).all()
    assert (link.channel, link.chat_id, link.person_id) == ("webchat", chat_id, 1)
    assert orphans == []  # the wrong code's answer was shown, not kept
    sam = WebPerson(web, chat_id)
    await sam.open()
    assert (await sam.messages())[0]["words"].startswith("Hello Sam.")


async def test_wrong_codes_from_one_browser_are_throttled(
    waymark: Waymark, web: httpx.AsyncClient
) -> None:
    await web.get("/chat/join")
    token = {"csrftoken": web.cookies["csrftoken"]}
    for _ in range(5):
        assert (await web.post("/chat/join", data={"code": "y" * 32, **token})).status_code == 400
    throttled = await web.post("/chat/join", data={"code": "y" * 32, **token})
    assert "Too many tries." in throttled.text


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
    with app.uow() as uow:
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
    with app.uow() as uow:
        failed = uow.session.exec(select(OutboxMessage).where(OutboxMessage.status == "failed"))
        assert [row.last_error for row in failed] == ["no telegram channel is configured"]


def _consent(app: Waymark, ref: str) -> None:
    with app.uow() as uow:
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
    with app.uow() as uow:
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
