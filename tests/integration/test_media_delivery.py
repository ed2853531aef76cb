"""Sending files through the real python-telegram-bot to the stand-in Bot API: a file is
uploaded once and sent by its file id after that (across restarts too), a refused file id
is forgotten and the bytes uploaded again, and a card's caption takes the "You said" note.

Only python-telegram-bot for now (see tests/integration/test_telegram_formats.py)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

import pytest
from sqlmodel import select

from bot.channels.file_ids import FileIds
from bot.composition import Waymark
from bot.models import MediaFile
from bot.rendering.outgoing import Media, MediaKind, Rendered, RenderedButton
from bot.storage import committed
from tests.support.botapi import StandInBotAPI

CHAT = "5001"
PNG = b"\x89PNG\r\n\x1a\n" + b"card" * 100
SHA = hashlib.sha256(PNG).hexdigest()


@pytest.fixture
async def opened(waymark: Waymark) -> AsyncIterator[Waymark]:
    """Connected, enough to send; not polling."""
    await waymark.open()
    try:
        yield waymark
    finally:
        await waymark.stop()


def card(file_id: str | None = None) -> Rendered:
    media = Media(MediaKind.PHOTO, PNG, "card.png", "image/png", file_id)
    button = RenderedButton("✅ I am coming", "ap:1:1:coming")
    return Rendered("Sam, tomorrow at 10:00", ((button,),), media=media)


async def test_a_file_is_uploaded_once_then_sent_by_its_id(
    opened: Waymark, botapi: StandInBotAPI
) -> None:
    assert opened.delivery is not None

    first = await opened.delivery.send(CHAT, card())
    second = await opened.delivery.send(CHAT, card())

    one, two = botapi.calls_to("sendPhoto")
    assert one.files["photo"][1] == PNG
    assert two.files == {}
    assert two.params["photo"] == first.file_id
    assert second.file_id is None  # nothing new to remember
    with committed(opened.uow) as uow:
        (row,) = uow.session.exec(select(MediaFile)).all()
    assert (row.channel, row.sha256, row.file_id, row.kind) == (
        "telegram",
        SHA,
        first.file_id,
        "photo",
    )
    # Another process over the same database knows it too.
    assert await FileIds(opened.uow, opened.clock).lookup("telegram", SHA) == first.file_id


async def test_a_refused_file_id_is_forgotten_and_the_bytes_uploaded_again(
    opened: Waymark, botapi: StandInBotAPI
) -> None:
    assert opened.delivery is not None

    sent = await opened.delivery.send(CHAT, card(file_id="AgACgone-with-the-old-bot"))

    refused, uploaded = botapi.calls_to("sendPhoto")
    assert refused.status == 400
    assert uploaded.files["photo"][1] == PNG
    with committed(opened.uow) as uow:
        (row,) = uow.session.exec(select(MediaFile)).all()
    assert row.file_id == sent.file_id


async def test_a_voice_note_and_a_document_go_by_their_own_methods(
    opened: Waymark, botapi: StandInBotAPI
) -> None:
    assert opened.delivery is not None
    voice = Media(MediaKind.VOICE, b"OggS" + b"v" * 50, "voice.ogg", "audio/ogg", duration=4)
    ics = Media(MediaKind.DOCUMENT, b"BEGIN:VCALENDAR\r\n", "appointment-7.ics", "text/calendar")

    await opened.delivery.send(CHAT, Rendered("The words under it.", media=voice, silent=True))
    await opened.delivery.send(CHAT, Rendered("Open this file.", media=ics))

    (spoken,) = botapi.calls_to("sendVoice")
    assert spoken.params["caption"] == "The words under it."
    assert spoken.params["duration"] == 4
    assert spoken.params["disable_notification"] is True
    (document,) = botapi.calls_to("sendDocument")
    assert document.files["document"][0] == "appointment-7.ics"


async def test_closing_a_card_notes_the_answer_in_its_caption(
    opened: Waymark, botapi: StandInBotAPI
) -> None:
    assert opened.delivery is not None
    sent = await opened.delivery.send(CHAT, card())

    await opened.delivery.close_buttons(CHAT, sent.message_id, "Sam, tomorrow\n\nYou said: yes")

    (message,) = botapi.messages(int(CHAT))
    assert message["caption"] == "Sam, tomorrow\n\nYou said: yes"
    assert not message.get("reply_markup")
