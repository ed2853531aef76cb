"""Bad input of every kind gets a short kind answer or silence: never a crash, never a
traceback to the person, never a lost row."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from bot.composition import Waymark
from bot.models import EngagementEvent
from bot.storage import committed
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat

NOT_UNDERSTOOD = "I can only understand button taps. Send /help to see what I can do."
MEDIA = (
    "Thank you. I cannot open pictures, stickers or voice notes. Send /help to see what I can do."
)


async def test_free_text_and_long_text(onboarded: Waymark, sam: Chat) -> None:
    assert await sam.say("can I come at 3 instead?") == [NOT_UNDERSTOOD]
    assert await sam.say("x" * 5000) == [NOT_UNDERSTOOD]
    assert await sam.say("/nonsense") == [NOT_UNDERSTOOD]


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice"])
async def test_stickers_photos_and_voice_notes(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI, kind: str
) -> None:
    send = {"sticker": botapi.send_sticker, "photo": botapi.send_photo, "voice": botapi.send_voice}[
        kind
    ]
    before = len(sam.sent())
    send(sam.chat_id)
    await sam.wait_for_messages(before + 1)
    assert sam.texts()[-1] == MEDIA


STALE = "This reminder is old. Send /next to see your next appointment."


@pytest.mark.parametrize(
    ("data", "replies", "toast"),
    [
        ("zz:1", [], NOT_UNDERSTOOD),
        ("ap:x:y:coming", [], NOT_UNDERSTOOD),
        ("ap:1:1:dance", [], NOT_UNDERSTOOD),
        ("ap:999:1:coming", [STALE], STALE),
        ("ob:nowhere:at-all", [], "This button is old. Send /help to see what I can do."),
        ("st:maybe", [], NOT_UNDERSTOOD),
        ("", [], NOT_UNDERSTOOD),
        ("é" * 30, [], NOT_UNDERSTOOD),
    ],
)
async def test_unknown_and_stale_buttons(
    onboarded: Waymark,
    sam: Chat,
    botapi: StandInBotAPI,
    data: str,
    replies: list[str],
    toast: str,
) -> None:
    answered = len(botapi.calls_to("answerCallbackQuery"))
    before = len(sam.sent())
    botapi.press_button(sam.chat_id, 1, data)
    await botapi.wait_for("answerCallbackQuery", answered + 1)
    await sam.wait_for_messages(before + len(replies))
    assert sam.texts()[before:] == replies
    assert botapi.calls_to("answerCallbackQuery")[-1].params.get("text") == toast


async def test_malformed_start_codes(running: Waymark, botapi: StandInBotAPI) -> None:
    world.add_coach(running)
    world.add_person(running)
    chat = Chat(botapi, 6100)
    for code in ["!!!", "a" * 300, "../../etc", "' OR 1=1 --"]:
        (reply,) = await chat.say(f"/start {code}")
        assert reply.startswith("This link or code does not work.")


async def test_groups_get_silence(running: Waymark, botapi: StandInBotAPI) -> None:
    world.add_coach(running)
    world.add_person(running)
    group = Chat(botapi, -42)
    await group.silence(lambda: botapi.send_group_text(42, f"/start {world.invite(running)}"))
    await group.silence(lambda: botapi.send_group_text(42, "hello"))


async def test_nothing_the_person_types_is_stored(onboarded: Waymark, sam: Chat) -> None:
    secret = "my address is 1 Secret Street"
    await sam.say(secret)
    with committed(onboarded.uow) as uow:
        details = [str(e.detail) for e in uow.session.exec(select(EngagementEvent)).all()]
        count = uow.session.exec(select(func.count()).select_from(EngagementEvent)).one()
    assert count > 0
    assert all("Secret" not in detail for detail in details)


async def test_a_failing_reply_does_not_stop_the_bot(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI
) -> None:
    botapi.fail_next("sendMessage", 400, description="Bad Request: chat not found")
    calls = len(botapi.calls_to("sendMessage"))
    botapi.send_text(sam.chat_id, "hello")
    await botapi.wait_for("sendMessage", calls + 1)
    assert botapi.calls_to("sendMessage")[-1].status == 400
    assert await sam.say("/help", expect=2)  # still answering
