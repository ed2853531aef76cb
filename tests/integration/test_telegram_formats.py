"""Every message in the person's own format, over both Telegram frameworks and the
stand-in Bot API server: a words person, a pictures person and a voice person get the same
reminder (sendMessage, sendPhoto, sendVoice), with the same buttons, and "Read it to me"
and "Show me" send the other format on each. Voice notes come from espeak-ng, for real.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from PIL import Image
from sqlalchemy import Engine
from sqlmodel import col, select

from bot.composition import Waymark, build
from bot.media.cache import DiskCache
from bot.media.speech import Speech
from bot.models import EngagementEvent, MediaFile, Person, SentMessage
from bot.services import people
from bot.services.timeline import timeline
from bot.storage import committed
from tests.conftest import make_settings
from tests.support import world
from tests.support.botapi import Call, StandInBotAPI
from tests.support.chat import Chat
from tests.support.fakes import FixedClock
from tests.support.speech import MemoryEngine

STARTS = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # Wednesday 25 November, 10:00 GMT
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
PLACE = "Camberwell Office, 45 Camberwell Road"
LABELS = [
    "✅ I am coming",
    "⏰ Running late",
    "❌ I can't come",
    "🗺 How do I get there",
    "📅 Add to calendar",
    "🔊 Read it to me",
    "🖼 Show me",
]


def reminder_text(name: str) -> str:
    """The reminder's words: first the discreet line a lock screen shows, then the details."""
    return (
        "Tomorrow 10:00, Camberwell\n"
        f"{name}, tomorrow: Wednesday 25 November, 10:00, {PLACE}. You will see Jo."
    )


def last(chat: Chat) -> Call:
    return chat.sent()[-1]


def labels(call: Call) -> list[str]:
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in rows for button in row]


def data_of(call: Call) -> list[str]:
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["callback_data"] for row in rows for button in row]


def uploaded(call: Call, kind: str) -> bytes:
    assert kind in call.files, f"{kind} was not uploaded: {call.params.get(kind)!r}"
    return call.files[kind][1]


async def press_last(chat: Chat, prefix: str) -> Call:
    """Press the newest button whose data starts with `prefix`; the one reply it gets."""
    message = chat.botapi.last_message(chat.chat_id)
    assert message is not None
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    data = next(
        b["callback_data"] for row in rows for b in row if b["callback_data"].startswith(prefix)
    )
    await chat.press_on(int(message["message_id"]), data)
    return last(chat)


async def onboard(app: Waymark, chat: Chat, ref: str, name: str, format_: str) -> list[Call]:
    world.add_person(app, ref=ref, name=name)
    await chat.say(f"/start {world.invite(app, ref)}", expect=3)
    await chat.press("ob:consent:agree")
    before = len(chat.sent())
    await chat.press(f"ob:format:{format_}", expect=1 if format_ == "words" else 2)
    after_choice = chat.sent()[before:]
    await chat.press("ob:reminders:recommended")
    await chat.press("ob:quiet:quiet_none")
    await chat.press("ob:discreet:discreet_on", expect=2)
    await chat.press("ob:practice:coming", expect=2)
    return after_choice


@pytest.fixture
async def three(running: Waymark, botapi: StandInBotAPI) -> tuple[Chat, Chat, Chat]:
    """Sam reads words, Alex pictures, Kim voice notes; each has the same appointment."""
    world.add_coach(running)
    chats = (Chat(botapi, 5001), Chat(botapi, 5002), Chat(botapi, 5003))
    for chat, (ref, name, format_) in zip(
        chats,
        [
            ("IOM-0001", "Sam", "words"),
            ("IOM-0002", "Alex", "pictures"),
            ("IOM-0003", "Kim", "voice"),
        ],
        strict=True,
    ):
        await onboard(running, chat, ref, name, format_)
        world.add_appointment(running, STARTS, ref=ref, place=PLACE)
    running.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]
    report = await running.dispatcher.tick()
    assert report.counts == {"sent": 3}
    for chat in chats:
        await chat.wait_for_messages(len(chat.sent()))
    return chats


async def test_the_same_reminder_in_words_pictures_and_voice(
    three: tuple[Chat, Chat, Chat],
) -> None:
    sam, alex, kim = three

    words, picture, voice = last(sam), last(alex), last(kim)

    assert words.method == "sendMessage"
    assert words.params["text"] == reminder_text("Sam")
    assert picture.method == "sendPhoto"
    assert picture.params["caption"] == "Alex, tomorrow at 10:00"  # short: the card says it
    card = Image.open(io.BytesIO(uploaded(picture, "photo")))
    assert (card.format, card.width) == ("PNG", 1080)
    assert voice.method == "sendVoice"
    assert voice.params["caption"] == reminder_text("Kim")  # the words under the voice note
    assert uploaded(voice, "voice").startswith(b"OggS")
    assert int(voice.params["duration"]) >= 3
    for call in (words, picture, voice):
        assert labels(call) == LABELS
        assert not call.params.get("disable_notification")


async def test_read_it_to_me_and_show_me_work_on_each(
    running: Waymark, three: tuple[Chat, Chat, Chat]
) -> None:
    sam, alex, kim = three

    heard = await press_last(sam, "md:voice:")
    assert (heard.method, heard.params["caption"]) == ("sendVoice", reminder_text("Sam"))
    assert uploaded(heard, "voice").startswith(b"OggS")
    shown = await press_last(sam, "md:pictures:")
    assert (shown.method, shown.params["caption"]) == ("sendPhoto", "Sam, tomorrow at 10:00")

    assert (await press_last(alex, "md:voice:")).method == "sendVoice"
    again = await press_last(alex, "md:pictures:")
    # The same card as the reminder's: sent by the file id Telegram gave it, not uploaded.
    assert again.method == "sendPhoto"
    assert "photo" not in again.files
    assert again.params["photo"] == alex.botapi.messages(alex.chat_id)[-3]["photo"][-1]["file_id"]

    said_again = await press_last(kim, "md:voice:")
    assert said_again.method == "sendVoice"
    assert "voice" not in said_again.files
    assert (await press_last(kim, "md:pictures:")).method == "sendPhoto"

    with committed(running.uow) as uow:
        requests = uow.session.exec(
            select(EngagementEvent).where(EngagementEvent.kind == "media_request")
        ).all()
        files = uow.session.exec(select(MediaFile)).all()
    assert sorted(event.detail["format"] for event in requests) == ["pictures"] * 3 + ["voice"] * 3
    assert {event.detail["content_key"] for event in requests} == {"reminder_evening"}
    assert {f.kind for f in files} == {"photo", "voice"}


async def test_the_again_buttons_stay_under_what_they_sent(three: tuple[Chat, Chat, Chat]) -> None:
    sam, _, _ = three
    reminder = last(sam)

    heard = await press_last(sam, "md:voice:")

    assert data_of(heard)[-2:] == data_of(reminder)[-2:]  # the same sent message
    assert labels(heard) == ["🔊 Read it to me", "🖼 Show me"]  # not the answers again
    message = sam.botapi.messages(sam.chat_id)[-2]
    assert labels_of_message(message) == LABELS  # the reminder can still be answered


def labels_of_message(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in rows for button in row]


async def test_answering_a_picture_reminder_notes_it_under_the_card(
    running: Waymark, three: tuple[Chat, Chat, Chat]
) -> None:
    _, alex, _ = three
    card = alex.botapi.last_message(alex.chat_id)
    assert card is not None
    coming = next(d for d in data_of(last(alex)) if d.endswith(":coming"))

    await alex.press_on(int(card["message_id"]), coming)

    thanks = last(alex)
    assert (thanks.method, thanks.params["caption"]) == ("sendPhoto", "Thank you")
    edited = alex.botapi.messages(alex.chat_id)[-2]
    assert edited["caption"] == "Alex, tomorrow at 10:00\n\nYou said: ✅ I am coming"
    assert not labels_of_message(edited)


async def test_add_to_calendar_sends_an_ics_file(three: tuple[Chat, Chat, Chat]) -> None:
    sam, _, _ = three

    calendar = next(d for d in data_of(last(sam)) if d.endswith(":calendar"))

    await sam.press(calendar)

    document = last(sam)
    assert document.method == "sendDocument"
    filename, data = document.files["document"]
    assert filename.endswith(".ics")
    assert document.params["caption"] == (
        "Tap this file to add the appointment to your phone's calendar."
    )
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert event.decoded("dtstart") == STARTS
    assert str(event["summary"]) == "Appointment at Camberwell"  # a calendar alarm shows it


async def test_what_was_sent_is_kept_by_key_with_its_message_id(
    running: Waymark, three: tuple[Chat, Chat, Chat]
) -> None:
    with committed(running.uow) as uow:
        rows = uow.session.exec(
            select(SentMessage)
            .where(SentMessage.content_key == "reminder_evening")
            .order_by(col(SentMessage.id))
        ).all()

    assert [(row.format, row.variables["name"]) for row in rows] == [
        ("words", "Sam"),
        ("pictures", "Alex"),
        ("voice", "Kim"),
    ]
    for row, chat in zip(rows, three, strict=True):
        message = chat.botapi.last_message(chat.chat_id)
        assert message is not None
        assert row.channel_message_id == str(message["message_id"])


async def test_a_forged_or_foreign_again_button_gets_a_kind_toast(
    running: Waymark, three: tuple[Chat, Chat, Chat], botapi: StandInBotAPI
) -> None:
    sam, alex, _ = three
    alexs = next(d for d in data_of(last(alex)) if d.startswith("md:voice:"))
    answered = len(botapi.calls_to("answerCallbackQuery"))
    before = len(sam.sent())

    for data in (alexs, "md:voice:999999"):  # someone else's message, and none at all
        botapi.press_button(sam.chat_id, 1, data)
    await botapi.wait_for("answerCallbackQuery", answered + 2)

    assert len(sam.sent()) == before
    toasts = [c.params.get("text") for c in botapi.calls_to("answerCallbackQuery")[-2:]]
    assert toasts == ["This button is old. Send /help to see what I can do."] * 2


async def test_choosing_pictures_or_voice_answers_in_that_format(
    running: Waymark, botapi: StandInBotAPI
) -> None:
    world.add_coach(running)

    pictures = await onboard(running, Chat(botapi, 5101), "IOM-0101", "Ali", "pictures")
    voice = await onboard(running, Chat(botapi, 5102), "IOM-0102", "Bo", "voice")

    assert [(c.method, c.params["caption"]) for c in pictures] == [
        ("sendPhoto", "Thank you"),
        ("sendPhoto", "Reminders"),
    ]
    assert [c.method for c in voice] == ["sendVoice", "sendVoice"]
    assert voice[0].params["caption"] == (
        "Thank you. I will send you voice notes like this one. The words come with them."
    )
    assert world.person(running, "IOM-0101").format == "pictures"


async def test_a_coach_alert_stays_plain_words(
    running: Waymark, three: tuple[Chat, Chat, Chat], botapi: StandInBotAPI
) -> None:
    _, alex, _ = three
    coach = Chat(botapi, 4001)
    await coach.say(f"/start {world.coach_invite(running)}")
    late = next(d for d in data_of(last(alex)) if d.endswith(":late"))
    card = alex.botapi.last_message(alex.chat_id)
    assert card is not None

    await alex.press_on(int(card["message_id"]), late)
    await coach.wait_for_messages(2)

    alert = last(coach)
    assert alert.method == "sendMessage"
    assert alert.params["text"].startswith("Waymark alert for IOM-0002: running late.")
    assert labels(alert) == []


async def test_when_a_card_cannot_be_made_the_words_still_go(
    running: Waymark, botapi: StandInBotAPI, tmp_path: Path
) -> None:
    world.add_coach(running)
    chat = Chat(botapi, 5201)
    await onboard(running, chat, "IOM-0201", "Max", "words")
    with committed(running.uow) as uow:
        people.set_preferences(uow, "IOM-0201", format_="pictures")
    assert running.media is not None
    running.media.cards.fonts = tmp_path  # no font there: no card can be drawn

    await chat.say("/next")

    call = last(chat)
    assert call.method == "sendMessage"
    assert call.params["text"].startswith("You have no appointments planned.")


async def test_the_reminder_keeps_its_buttons_after_add_to_calendar(
    three: tuple[Chat, Chat, Chat],
) -> None:
    sam, _, _ = three
    calendar = next(d for d in data_of(last(sam)) if d.endswith(":calendar"))

    await sam.press(calendar)

    reminder = sam.botapi.messages(sam.chat_id)[-2]
    assert labels_of_message(reminder) == LABELS  # they may still say whether they come


async def test_when_no_voice_can_be_made_a_voice_person_gets_the_words(
    engine: Engine, botapi: StandInBotAPI, clock: FixedClock, db_url: str, tmp_path: Path
) -> None:
    mute = MemoryEngine()
    mute.fail = True  # as if espeak-ng were missing and Google unreachable
    speech = Speech([mute], DiskCache(tmp_path), clock)
    app = build(make_settings(db_url, botapi), clock=clock, engine=engine, speech=speech)
    await app.start()
    try:
        world.add_coach(app)
        chat = Chat(botapi, 5301)
        after_choice = await onboard(app, chat, "IOM-0301", "Lee", "voice")
        world.add_appointment(app, STARTS, ref="IOM-0301", place=PLACE)
        clock.set(EVENING_BEFORE)
        assert (await app.dispatcher.tick()).counts == {"sent": 1}
        await chat.wait_for_messages(len(chat.sent()))
        reminder = last(chat)
        read_it = await press_last(chat, "md:voice:")
        with committed(app.uow) as uow:
            rows = uow.session.exec(select(SentMessage).order_by(col(SentMessage.id))).all()
            person = uow.session.exec(select(Person).where(Person.ref == "IOM-0301")).one()
            entries = timeline(uow.session, app.content, person)
    finally:
        await app.stop()

    assert [call.method for call in after_choice] == ["sendMessage", "sendMessage"]
    assert after_choice[0].params["text"].startswith("Thank you. I will send you voice notes")
    assert labels(after_choice[0]) == ["🔊 Read it to me", "🖼 Show me"]
    assert (reminder.method, reminder.params["text"]) == ("sendMessage", reminder_text("Lee"))
    # "Read it to me" says kindly that there is no voice, then gives the words again.
    assert read_it.method == "sendMessage"
    assert read_it.params["text"] == (
        "Sorry, I cannot make a voice note just now. Here are the words.\n\n" + reminder_text("Lee")
    )
    # What was recorded, and what the coach's timeline says, is what really went: words.
    assert rows
    assert {row.format for row in rows} == {"words"}
    sent_lines = [entry.what for entry in entries if entry.what.startswith("Waymark sent")]
    assert sent_lines
    assert all(line.endswith("as words") for line in sent_lines)


async def test_a_voice_note_that_was_made_is_recorded_as_voice(
    running: Waymark, three: tuple[Chat, Chat, Chat]
) -> None:
    _, _, kim = three
    shown = await press_last(kim, "md:pictures:")  # "Show me" does not change the record

    with committed(running.uow) as uow:
        row = uow.session.exec(
            select(SentMessage).where(SentMessage.content_key == "reminder_evening")
        ).all()[-1]
    assert shown.method == "sendPhoto"
    assert (row.variables["name"], row.format) == ("Kim", "voice")
