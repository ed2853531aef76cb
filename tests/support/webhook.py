"""The stand-in Bot API server as Telegram is once a webhook is set: every update pushed
after setWebhook is POSTed to the web app (one at a time, in order, with the secret
header) instead of waiting for getUpdates. `client` is how it reaches the app: httpx over
ASGI, or over loopback to a real uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.support.botapi import JSON, Files, StandInBotAPI
from web.webhook import SECRET_HEADER


class WebhookStandIn(StandInBotAPI):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client: httpx.AsyncClient | None = None
        self.secret = ""
        self.deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status)
        self._posting: asyncio.Queue[JSON] = asyncio.Queue()
        self._poster: asyncio.Task[None] | None = None

    @property
    def webhook_path(self) -> str:
        return urlsplit(str(self._webhook["url"])).path

    def _set_webhook(self, params: JSON, files: Files) -> bool:
        self.secret = str(params.get("secret_token") or "")
        return super()._set_webhook(params, files)

    def push_update(self, update: JSON) -> int:
        update_id = super().push_update(update)
        if self.client is not None and self._webhook["url"]:
            self._posting.put_nowait(self._updates.pop())  # posted, so never polled
            if self._poster is None or self._poster.done():
                self._poster = asyncio.create_task(self._post_in_order())
        return update_id

    def capture(self, push: Callable[[], int]) -> JSON:
        """The update `push` makes, as Telegram would post it, without posting it."""
        client, self.client = self.client, None
        try:
            push()
            return self._updates.pop()
        finally:
            self.client = client

    async def post(self, update: Any, secret: str | None = "", **kwargs: Any) -> httpx.Response:
        """POST a body to the webhook as Telegram does (`secret` None: no header)."""
        assert self.client is not None
        headers = {} if secret is None else {SECRET_HEADER: secret or self.secret}
        return await self.client.post(self.webhook_path, json=update, headers=headers, **kwargs)

    async def _post_in_order(self) -> None:
        while not self._posting.empty():
            update = self._posting.get_nowait()
            response = await self.post(update)
            self.deliveries.append((int(update["update_id"]), response.status_code))

    async def stop(self) -> None:
        if self._poster is not None:  # the test is over: what is left need not arrive
            self._poster.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poster
        await super().stop()
