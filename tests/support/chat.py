"""A person's side of a Telegram chat with the bot, over the stand-in Bot API server.

`say` and `press` push an update and wait for exactly the replies expected, so a test
reads as a transcript: what the person did, then the exact messages that came back.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tests.support.botapi import Call, StandInBotAPI

SENDS = ("sendMessage", "sendPhoto", "sendVoice", "sendDocument", "sendVenue")
SETTLE = 0.15  # after the expected replies, how long to watch for an unexpected one


class Chat:
    def __init__(self, botapi: StandInBotAPI, chat_id: int) -> None:
        self.botapi = botapi
        self.chat_id = chat_id

    def sent(self) -> list[Call]:
        """Successful sends to this chat, oldest first."""
        return [
            call
            for call in self.botapi.calls
            if call.method in SENDS
            and call.status == 200
            and int(call.params.get("chat_id", 0)) == self.chat_id
        ]

    def texts(self) -> list[str]:
        return [
            str(call.params.get("text") or call.params.get("caption") or "") for call in self.sent()
        ]

    async def wait_for_messages(self, count: int, timeout: float = 5.0) -> list[Call]:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.sent()) < count:
            if loop.time() > deadline:
                raise AssertionError(
                    f"expected {count} messages in chat {self.chat_id}, got: {self.texts()}"
                )
            await asyncio.sleep(0.01)
        await asyncio.sleep(SETTLE)
        return self.sent()

    async def _exchange(self, push: Any, expect: int) -> list[str]:
        before = len(self.sent())
        push()
        sent = await self.wait_for_messages(before + expect)
        new = [str(c.params.get("text") or "") for c in sent[before:]]
        assert len(new) == expect, f"expected {expect} replies, got {len(new)}: {new}"
        return new

    async def say(self, text: str, expect: int = 1) -> list[str]:
        return await self._exchange(lambda: self.botapi.send_text(self.chat_id, text), expect)

    async def press(self, data: str, expect: int = 1) -> list[str]:
        """Press the button with this callback data on the newest message that has it."""
        message_id = self.message_with_button(data)
        return await self._exchange(
            lambda: self.botapi.press_button(self.chat_id, message_id, data), expect
        )

    async def press_on(self, message_id: int, data: str, expect: int = 1) -> list[str]:
        return await self._exchange(
            lambda: self.botapi.press_button(self.chat_id, message_id, data), expect
        )

    def message_with_button(self, data: str) -> int:
        for message in reversed(self.botapi.messages(self.chat_id)):
            if data in button_data(message):
                return int(message["message_id"])
        raise AssertionError(f"no message in chat {self.chat_id} has a button {data!r}")

    def last_buttons(self) -> list[str]:
        """Callback data of the newest message's buttons."""
        message = self.botapi.last_message(self.chat_id)
        return button_data(message) if message else []

    def last_labels(self) -> list[str]:
        message = self.botapi.last_message(self.chat_id) or {}
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        return [button["text"] for row in rows for button in row]

    async def silence(self, push: Any) -> None:
        """Push an update and check that the bot sends nothing back."""
        before = len(self.sent())
        polls = len(self.botapi.polls)
        push()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while len(self.botapi.polls) < polls + 2 and loop.time() < deadline:  # noqa: ASYNC110 - the calls are plain lists the server appends to
            await asyncio.sleep(0.01)  # the update was fetched, and the next poll began
        await asyncio.sleep(SETTLE)
        assert len(self.sent()) == before, f"expected silence, got {self.texts()[before:]}"


def button_data(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button.get("callback_data", "") for row in rows for button in row]
