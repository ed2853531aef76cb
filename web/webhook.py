"""The Telegram webhook: POST /telegram/webhook, as Telegram calls it.

The secret header is compared in constant time (401 when it is wrong or missing), a body
over MAX_BODY is refused (413) and one that is not JSON or not an update gets 400; while
Waymark starts or stops the answer is 503, and Telegram sends the update again later. An
update is acknowledged at once (200) and handled afterwards by the chosen framework, in
order per chat and once per update_id (bot/channels/telegram/webhook.py).
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Request

from bot.channels.telegram.runtime import BadUpdate
from web.deps import SettingsDep, StartedDep, WebhookDep

log = logging.getLogger(__name__)
router = APIRouter()
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
# Telegram's updates are a few kilobytes (a message is at most 4096 characters).
MAX_BODY = 256 * 1024


@router.post("/telegram/webhook")
async def webhook(
    request: Request,
    settings: SettingsDep,
    intake: WebhookDep,
    started: StartedDep,
    secret: Annotated[str | None, Header(alias=SECRET_HEADER)] = None,
) -> dict[str, bool]:
    if intake is None:
        raise HTTPException(404, "webhooks are off: TELEGRAM_WEBHOOK_URL is not set")
    expected = settings.telegram.webhook_secret.get_secret_value().encode()
    if secret is None or not hmac.compare_digest(secret.encode(), expected):
        log.warning("webhook call refused", extra={"reason": "secret"})
        raise HTTPException(401, "wrong or missing secret token")
    if not started:  # starting or stopping: Telegram tries again later
        raise HTTPException(503, "not taking updates yet")
    body = await _body(request)
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested too deep to be an update
        raise HTTPException(400, "the body is not JSON") from None
    try:
        intake.accept(raw)
    except BadUpdate as error:
        log.warning("webhook call refused", extra={"reason": str(error)})
        raise HTTPException(400, "the body is not a Telegram update") from None
    return {"ok": True}


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise HTTPException(413, "the body is too large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, "the body is too large")
    return bytes(body)
