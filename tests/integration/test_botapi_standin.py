"""The stand-in Bot API, driven by the real python-telegram-bot and by raw aiohttp requests."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from tests.support.botapi import StandInBotAPI

CHAT = 42


@pytest.fixture(autouse=True)
def _timedelta_durations(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns when duration-like attributes are read as ints; opt in to timedeltas.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def server() -> AsyncIterator[StandInBotAPI]:
    async with StandInBotAPI() as api:
        yield api


def make_bot(server: StandInBotAPI, token: str | None = None) -> telegram.Bot:
    return telegram.Bot(
        token or server.token,
        base_url=f"{server.url}/bot",
        base_file_url=f"{server.url}/file/bot",
    )


@pytest.fixture
async def bot(server: StandInBotAPI) -> AsyncIterator[telegram.Bot]:
    async with make_bot(server) as ptb_bot:
        yield ptb_bot


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.title(), callback_data=d) for d in data]])


async def test_get_me_returns_the_bot_user(server: StandInBotAPI, bot: telegram.Bot) -> None:
    me = await bot.get_me()

    assert (me.id, me.is_bot, me.first_name) == (123456, True, "Waymark")
    assert me.username == "waymark_test_bot"
    assert all(call.status == 200 for call in server.calls_to("getMe"))


async def test_send_message_records_decoded_inline_keyboard(
    server: StandInBotAPI, bot: telegram.Bot
) -> None:
    message = await bot.send_message(CHAT, "Pick one", reply_markup=keyboard("yes", "no"))

    assert message.message_id == 1
    assert message.chat.id == CHAT
    assert message.chat.type == "private"
    assert message.from_user is not None
    assert message.from_user.id == bot.id
    assert message.reply_markup == keyboard("yes", "no")
    (call,) = await server.wait_for("sendMessage")
    assert call.params == {
        "chat_id": CHAT,
        "text": "Pick one",
        "reply_markup": {
            "inline_keyboard": [
                [
                    {"text": "Yes", "callback_data": "yes"},
                    {"text": "No", "callback_data": "no"},
                ]
            ]
        },
    }
    assert server.last_message(CHAT) == {**call.response["result"]}
    second = await bot.send_message(CHAT, "And another")
    assert second.message_id == 2


async def test_edit_message_reply_markup_updates_the_stored_message(
    server: StandInBotAPI, bot: telegram.Bot
) -> None:
    sent = await bot.send_message(CHAT, "Pick one", reply_markup=keyboard("yes", "no"))

    edited = await bot.edit_message_reply_markup(
        CHAT, sent.message_id, reply_markup=keyboard("done")
    )

    assert isinstance(edited, telegram.Message)
    assert edited.reply_markup == keyboard("done")
    assert edited.edit_date is not None
    (stored,) = server.messages(CHAT)
    assert stored["reply_markup"] == {
        "inline_keyboard": [[{"text": "Done", "callback_data": "done"}]]
    }
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=keyboard("done"))
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_reply_markup(CHAT, 999, reply_markup=keyboard("x"))
    text_edit = await bot.edit_message_text("Thanks", CHAT, sent.message_id)
    assert isinstance(text_edit, telegram.Message)
    assert text_edit.text == "Thanks"
    assert text_edit.reply_markup is None  # editing text without a keyboard drops it


async def test_send_voice_by_upload_then_by_file_id(
    server: StandInBotAPI, bot: telegram.Bot
) -> None:
    audio = b"OggS\x00\x02 a very short voice note"

    first = await bot.send_voice(CHAT, voice=audio, duration=3)

    assert first.voice is not None
    assert first.voice.duration == dt.timedelta(seconds=3)
    assert first.voice.mime_type == "audio/ogg"
    (upload,) = server.calls_to("sendVoice")
    assert upload.params["chat_id"] == CHAT
    assert upload.files["voice"][1] == audio

    second = await bot.send_voice(CHAT, voice=first.voice.file_id)

    assert second.voice is not None
    assert second.voice.file_id == first.voice.file_id
    assert second.voice.file_unique_id == first.voice.file_unique_id
    reuse = server.calls_to("sendVoice")[1]
    assert (reuse.params["voice"], reuse.files) == (first.voice.file_id, {})
    downloaded = await (await bot.get_file(first.voice.file_id)).download_as_bytearray()
    assert bytes(downloaded) == audio
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_voice(CHAT, voice="not-a-known-file-id")


async def test_get_updates_long_poll_delivers_a_pushed_command(
    server: StandInBotAPI, bot: telegram.Bot
) -> None:
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, server.send_text, CHAT, "/start hello")
    started = loop.time()

    updates = await bot.get_updates(timeout=5)

    assert loop.time() - started < 4, "the long poll should return as soon as the update lands"
    (update,) = updates
    assert isinstance(update, telegram.Update)
    assert update.message is not None
    assert update.message.text == "/start hello"
    assert update.message.entities == (
        MessageEntity(type=MessageEntity.BOT_COMMAND, offset=0, length=6),
    )
    assert update.effective_user is not None
    assert update.effective_user.id == CHAT
    assert update.message.chat.type == "private"
    # Not confirmed yet: the same update comes back; offset confirms it.
    (again,) = await bot.get_updates(timeout=0)
    assert again.update_id == update.update_id
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert server.polls[-1].params["offset"] == update.update_id + 1


async def test_get_updates_long_poll_times_out_empty(
    server: StandInBotAPI, bot: telegram.Bot
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()

    assert await bot.get_updates(timeout=1) == ()

    assert loop.time() - started >= 0.9
    assert server.polls[-1].params["timeout"] == 1


async def test_press_button_carries_the_stored_bot_message(
    server: StandInBotAPI, bot: telegram.Bot
) -> None:
    sent = await bot.send_message(CHAT, "Pick one", reply_markup=keyboard("yes", "no"))
    server.press_button(CHAT, sent.message_id, "yes")

    (update,) = await bot.get_updates(timeout=1)

    query = update.callback_query
    assert query is not None
    assert query.data == "yes"
    assert query.from_user.id == CHAT
    assert isinstance(query.message, telegram.Message)
    assert query.message.text == "Pick one"
    assert query.message.reply_markup == keyboard("yes", "no")
    assert await bot.answer_callback_query(query.id) is True


async def test_retry_after_on_429(server: StandInBotAPI, bot: telegram.Bot) -> None:
    server.fail_next("sendMessage", 429, retry_after=7)

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT, "hello")

    assert caught.value.retry_after == dt.timedelta(seconds=7)
    assert (await bot.send_message(CHAT, "hello")).text == "hello"
    assert [call.status for call in server.calls_to("sendMessage")] == [429, 200]
    assert server.calls_to("sendMessage")[0].response["parameters"] == {"retry_after": 7}


async def test_forbidden_when_the_user_blocked_the_bot(
    server: StandInBotAPI, bot: telegram.Bot
) -> None:
    server.block_chat(CHAT)

    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(CHAT, "hello")
    assert (await bot.send_message(7, "other chat")).chat.id == 7
    server.unblock_chat(CHAT)
    assert (await bot.send_message(CHAT, "hello again")).chat.id == CHAT

    server.fail_next("sendMessage", 403, chat_id=CHAT)
    assert (await bot.send_message(7, "not that chat")).chat.id == 7
    with pytest.raises(Forbidden):
        await bot.send_message(CHAT, "this chat")


async def test_server_errors_are_network_errors(server: StandInBotAPI, bot: telegram.Bot) -> None:
    server.fail_next("sendMessage", 500)
    server.fail_next("sendChatAction", 502, times=2)

    with pytest.raises(NetworkError, match="Internal Server Error") as caught:
        await bot.send_message(CHAT, "hello")
    assert type(caught.value) is NetworkError  # not BadRequest, which subclasses it
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_chat_action(CHAT, "typing")
    assert await bot.send_chat_action(CHAT, "typing") is True
    assert [c.status for c in server.calls_to("sendChatAction")] == [502, 502, 200]


async def test_delay_makes_the_client_time_out(server: StandInBotAPI, bot: telegram.Bot) -> None:
    server.delay("sendMessage", 0.6)

    with pytest.raises(TimedOut):
        await bot.send_message(CHAT, "slow", read_timeout=0.1)

    (call,) = await server.wait_for("sendMessage", timeout=3)
    assert call.params["text"] == "slow"
    assert (await bot.send_message(CHAT, "fast", read_timeout=2)).text == "fast"


async def test_wrong_token_is_invalid_token(server: StandInBotAPI) -> None:
    with pytest.raises(InvalidToken):
        async with make_bot(server, token="999:WRONG-TOKEN"):
            pass

    (call,) = server.calls_to("getMe")
    assert call.status == 401
    assert call.response == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_message_too_long_and_bad_button_data(
    server: StandInBotAPI, bot: telegram.Bot
) -> None:
    assert len((await bot.send_message(CHAT, "x" * 4096)).text or "") == 4096

    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(CHAT, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(CHAT, "Pick", reply_markup=keyboard("y" * 65))
    assert len(server.messages(CHAT)) == 1


async def test_form_and_multipart_bodies_are_recorded_like_json(server: StandInBotAPI) -> None:
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go:1"}]]}
    expected: dict[str, Any] = {
        "chat_id": CHAT,
        "text": "42",  # numeric-looking text must stay a string
        "reply_markup": markup,
        "disable_notification": True,
    }
    as_form = {**expected, "chat_id": "42", "reply_markup": json.dumps(markup)}
    as_form["disable_notification"] = "true"
    url = f"{server.url}/bot{server.token}/sendMessage"

    async with aiohttp.ClientSession() as session:
        async with session.post(url, json=expected) as response:
            assert response.status == 200
        async with session.post(url, data=as_form) as response:
            assert response.status == 200
        multipart = aiohttp.FormData(as_form, default_to_multipart=True)
        async with session.post(url, data=multipart) as response:
            assert response.status == 200
            assert response.content_type == "application/json"
        async with session.get(f"{server.url}/bot{server.token}/SENDMESSAGE", params=as_form) as r:
            assert (await r.json())["result"]["text"] == "42"
        async with session.post(f"{server.url}/bot{server.token}/sendNothing") as response:
            assert response.status == 404
            assert (await response.json())["description"] == "Not Found: method not found"

    calls = await server.wait_for("sendMessage", count=4)
    assert [call.params for call in calls] == [expected] * 4
    assert {call.method for call in calls} == {"sendMessage"}
    assert [m["message_id"] for m in server.messages(CHAT)] == [1, 2, 3, 4]


async def test_webhook_state_and_conflict(server: StandInBotAPI, bot: telegram.Bot) -> None:
    server.send_text(CHAT, "queued")
    assert await bot.set_webhook("https://example.test/hook")

    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("https://example.test/hook", 1)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates(timeout=0) == ()


async def test_commands_round_trip(server: StandInBotAPI, bot: telegram.Bot) -> None:
    commands = [telegram.BotCommand("start", "Begin"), telegram.BotCommand("help", "Get help")]

    assert await bot.set_my_commands(commands)

    assert await bot.get_my_commands() == tuple(commands)
    (call,) = server.calls_to("setMyCommands")
    assert call.params["commands"] == [
        {"command": "start", "description": "Begin"},
        {"command": "help", "description": "Get help"},
    ]
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


async def test_wait_for_names_what_it_saw(server: StandInBotAPI, bot: telegram.Bot) -> None:
    await bot.send_message(CHAT, "hello")

    with pytest.raises(AssertionError, match=r"sendPhoto.*got 0.*sendMessage\(200\)"):
        await server.wait_for("sendPhoto", timeout=0.1)
