"""The web chat, the phone in the browser, through the real web app (httpx over ASGI):
the same flows and formats as Telegram, with no Telegram token at all; bad posts get a
clear answer. Runs on every database."""

from __future__ import annotations

import httpx
from sqlmodel import select

from bot.composition import Waymark
from bot.models import (
    Appointment,
    ChannelLink,
    Consent,
    EngagementEvent,
    OutboxMessage,
    Person,
    WebchatMessage,
)
from bot.services.webchat import new_chat_id
from bot.storage import committed
from tests.support import world
from tests.support.database import ON_EVERY_DATABASE
from tests.support.webchat import WebPerson, data_of, labels_of
from tests.support.webchat_world import BASE, LABELS, REMINDER, STARTS, onboarded, reminder_due

pytestmark = ON_EVERY_DATABASE


async def test_onboarding_runs_in_the_web_chat(waymark: Waymark, web: httpx.AsyncClient) -> None:
    sam = await onboarded(waymark, web)
    messages = await sam.messages()
    assert messages[0]["words"].startswith("Hello Sam. I am Waymark.")
    assert [m["words"] for m in messages if m["from_person"]][:2] == ["✅ I agree", "📝 Words"]
    with committed(waymark.uow) as uow:
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
    with committed(waymark.uow) as uow:
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
    with committed(waymark.uow) as uow:
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
    with committed(waymark.uow) as uow:
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
