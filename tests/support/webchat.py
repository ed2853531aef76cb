"""A person's side of a web chat, as the page's script does it: open the page (which sets
the CSRF cookie), then POST words and presses with the token in the x-csrftoken header,
and read the messages as JSON. Presses wait for the replies, as the page's do."""

from __future__ import annotations

from typing import Any

import httpx

JSON = {"accept": "application/json"}


class WebPerson:
    def __init__(self, client: httpx.AsyncClient, chat_id: str) -> None:
        self.client = client
        self.chat_id = chat_id
        self.path = f"/chat/{chat_id}"

    async def open(self) -> httpx.Response:
        page = await self.client.get(self.path)
        assert page.status_code == 200, page.text
        return page

    def _headers(self) -> dict[str, str]:
        return JSON | {"x-csrftoken": self.client.cookies.get("csrftoken") or ""}

    async def say(self, text: str) -> httpx.Response:
        return await self.client.post(
            f"{self.path}/say", data={"text": text}, headers=self._headers()
        )

    async def press_on(self, message_id: int, data: str) -> httpx.Response:
        fields = {"message_id": str(message_id), "data": data}
        return await self.client.post(f"{self.path}/press", data=fields, headers=self._headers())

    async def press(self, data: str) -> list[str]:
        """Press the button with this data on the newest message that has it; the words
        of the messages that came after it."""
        before = await self.messages()
        message = next(m for m in reversed(before) if data in data_of(m))
        answer = await self.press_on(message["id"], data)
        assert answer.status_code == 200, answer.text
        return [m["words"] for m in await self.messages() if m["id"] > before[-1]["id"]]

    async def messages(self, after: int | None = None) -> list[dict[str, Any]]:
        params = {} if after is None else {"after": after}
        answer = await self.client.get(f"{self.path}/messages", params=params)
        assert answer.status_code == 200, answer.text
        messages: list[dict[str, Any]] = answer.json()["messages"]
        return messages

    async def last(self) -> dict[str, Any]:
        return (await self.messages())[-1]


def data_of(message: dict[str, Any]) -> list[str]:
    return [button["data"] for line in message["buttons"] for button in line]


def labels_of(message: dict[str, Any]) -> list[str]:
    return [button["label"] for line in message["buttons"] for button in line]
