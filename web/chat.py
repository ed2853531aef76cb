"""The web chat: a phone in the browser, a channel like Telegram (bot/channels/webchat*.py).

The chat id in the address is the capability, as a Telegram chat is: an unknown one is a
404 that says nothing about anyone. The page (templates/chat.html, static/chat.js) shows
the messages, takes words and presses, and follows new messages by Server-Sent Events;
every POST carries the CSRF token (the page's script sends it in the x-csrftoken header,
its forms in the csrftoken field). Invite codes are redeemed at /chat/join: a GET shows
the form and only the POST uses the code, so a link preview cannot spend it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Header, HTTPException, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sse_starlette import EventSourceResponse, ServerSentEvent

from bot.channels.webchat.intake import Answer, Outcome
from bot.models import WebchatMessage
from bot.services import pairing
from bot.services.webchat import words_of
from bot.settings import Settings
from web.deps import ContentDep, SettingsDep, WebchatDep

log = logging.getLogger(__name__)
router = APIRouter(prefix="/chat")
TEMPLATES = Path(__file__).parent / "templates"
TYPED_MAX = 4000
DATA_MAX = 64  # a button's data, as in Telegram
CODE_MAX = 100
BROWSER_COOKIE = "waymark_join"  # a browser's key for counting its wrong codes, nothing more
JOIN_PATH = "/chat/join"
RETRY_MS = 3000  # how soon a page's stream reconnects
SHA256 = re.compile(r"^[0-9a-f]{64}$")
PRIVATE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the address is the chat's key: it must not travel
    "X-Robots-Tag": "noindex",
}
REFUSED = {
    Outcome.NOT_A_BUTTON: (422, "That is not a button in this chat."),
    Outcome.CLOSED: (409, "That question has been answered already."),
    Outcome.FAILED: (500, "That did not work. Please try again."),
}


@cache
def _templates() -> Jinja2Templates:
    return Jinja2Templates(directory=TEMPLATES)


def _csrf(request: Request) -> str:
    """The CSRF token for the page's forms (web/csrf.py sets its cookie once asked)."""
    token = request.scope.get("csrftoken")
    return str(token()) if callable(token) else ""


async def _chat_id(chat_id: str, webchat: WebchatDep) -> str:
    if not await webchat.feed.exists(chat_id):
        raise HTTPException(404, "There is no chat here.")
    return chat_id


ChatId = Annotated[str, Depends(_chat_id)]


@router.get("/join")
async def join_form(request: Request, code: str = "") -> Response:
    return _join_page(request, code[:CODE_MAX])


@router.post("/join")
async def join(
    request: Request,
    settings: SettingsDep,
    webchat: WebchatDep,
    content: ContentDep,
    code: Annotated[str, Form()] = "",
) -> Response:
    code = code.strip()[:CODE_MAX]
    address = _address_key(request, settings)
    joined = await webchat.intake.join(code, request.cookies.get(BROWSER_COOKIE), address)
    if joined.linked:
        return RedirectResponse(request.url_for("chat_page", chat_id=joined.chat_id), 303)
    words = joined.words
    if joined.throttled:
        words = (content.message("link_throttled").text,)
    page = _join_page(request, code, words=words, status_code=429 if joined.throttled else 400)
    # The key wrong codes are counted by in this browser (never the chat's address).
    page.set_cookie(
        BROWSER_COOKIE,
        joined.browser,
        max_age=86400,
        path=JOIN_PATH,
        secure=settings.web.secure_cookies,
        httponly=True,
        samesite="strict",
    )
    return page


@router.get("/{chat_id}", name="chat_page")
async def page(request: Request, chat_id: ChatId) -> Response:
    urls = {
        name: str(request.url_for(f"chat_{name}", chat_id=chat_id).path)
        for name in ("messages", "events", "say", "press")
    }
    context = {"urls": urls, "csrf": _csrf(request), "typed_max": TYPED_MAX}
    return _templates().TemplateResponse(request, "chat.html", context, headers=PRIVATE)


@router.get("/{chat_id}/messages", name="chat_messages")
async def messages(
    request: Request, chat_id: ChatId, webchat: WebchatDep, after: int | None = None
) -> JSONResponse:
    """The newest messages, or (with `after`) those after that message id, oldest first."""
    rows = await webchat.feed.messages(chat_id, after)
    body = {"messages": [_as_json(request, chat_id, row) for row in rows]}
    return JSONResponse(body, headers=PRIVATE)


@router.get("/{chat_id}/events", name="chat_events")
async def events(
    request: Request,
    chat_id: ChatId,
    webchat: WebchatDep,
    after: int = 0,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> EventSourceResponse:
    """New messages (`message`, with the id a reconnecting page sends back as
    Last-Event-ID) and messages whose buttons closed (`update`), as they happen."""
    if last_event_id is not None and last_event_id.strip().isdigit():
        after = int(last_event_id)

    async def stream() -> AsyncIterator[ServerSentEvent]:
        yield ServerSentEvent(comment="waymark", retry=RETRY_MS)
        async for change in webchat.feed.follow(chat_id, max(after, 0)):
            data = json.dumps(_as_json(request, chat_id, change.row), ensure_ascii=False)
            if change.new:
                yield ServerSentEvent(data, id=str(change.row.id))
            else:
                yield ServerSentEvent(data, event="update")

    return EventSourceResponse(stream(), headers=PRIVATE)


@router.post("/{chat_id}/say", name="chat_say")
async def say(
    request: Request,
    chat_id: ChatId,
    webchat: WebchatDep,
    text: Annotated[str, Form()] = "",
) -> Response:
    """Typed words: handled like a Telegram message, never stored."""
    if len(text) > TYPED_MAX:
        return _refused(request, 422, f"A message can be {TYPED_MAX:,} characters at most.")
    if not text.strip():
        return _refused(request, 422, "The message is empty.")
    answer = await webchat.intake.say(chat_id, text)
    return _answered(request, chat_id, answer)


@router.post("/{chat_id}/press", name="chat_press")
async def press(
    request: Request,
    chat_id: ChatId,
    webchat: WebchatDep,
    message_id: Annotated[int, Form()],
    data: Annotated[str, Form()],
) -> Response:
    if len(data.encode()) > DATA_MAX:
        return _refused(request, *REFUSED[Outcome.NOT_A_BUTTON])
    answer = await webchat.intake.press(chat_id, message_id, data)
    return _answered(request, chat_id, answer)


@router.get("/{chat_id}/files/{sha256}", name="chat_file")
async def file(chat_id: ChatId, sha256: str, webchat: WebchatDep) -> Response:
    """A card, voice note or calendar file, only to the chat it was sent to."""
    found = await webchat.feed.file(chat_id, sha256) if SHA256.match(sha256) else None
    if found is None:
        raise HTTPException(404, "There is no file here.")
    inline = found.mime_type.startswith(("image/", "audio/"))
    filename = re.sub(r"[^A-Za-z0-9._-]", "_", found.filename) or "file"
    disposition = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    headers = {
        "Content-Disposition": disposition,
        "Cache-Control": "private, max-age=86400, immutable",  # named by its content
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(found.data, media_type=found.mime_type, headers=headers)


def _answered(request: Request, chat_id: str, answer: Answer) -> Response:
    if answer.outcome in REFUSED:
        return _refused(request, *REFUSED[answer.outcome])
    if not _wants_json(request):  # a form sent without the page's script
        return RedirectResponse(request.url_for("chat_page", chat_id=chat_id), 303)
    return JSONResponse({"ok": True, "toast": answer.toast})


def _refused(request: Request, status: int, detail: str) -> Response:
    """JSON for the page's script; for a plain form, the app's problem page."""
    if not _wants_json(request):
        raise HTTPException(status, detail)
    return JSONResponse({"detail": detail}, status_code=status)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _as_json(request: Request, chat_id: str, row: WebchatMessage) -> dict[str, Any]:
    media = None
    if row.media_sha256 is not None:
        url = request.url_for("chat_file", chat_id=chat_id, sha256=row.media_sha256).path
        media = {"kind": row.media_kind, "url": url}
    return {
        "id": row.id,
        "from_person": row.from_person,
        "text": row.text,  # all the words (a card's description)
        "words": words_of(row),  # the words shown (under a file: its caption)
        "buttons": [] if row.closed else row.buttons,
        "closed": row.closed,
        "silent": row.silent,
        "media": media,
    }


def _address_key(request: Request, settings: Settings) -> str | None:
    """The browser's address, keyed (never kept as it is). Behind a proxy, uvicorn takes it
    from X-Forwarded-For only from WEB_TRUSTED_PROXIES (README)."""
    if request.client is None:
        return None
    secret = settings.web.secret_key.get_secret_value()
    return pairing.address_key(secret, request.client.host)


def _join_page(
    request: Request, code: str, words: tuple[str, ...] = (), status_code: int = 200
) -> Response:
    context = {"code": code, "words": words, "csrf": _csrf(request)}
    return _templates().TemplateResponse(
        request, "chat_join.html", context, status_code=status_code, headers=PRIVATE
    )
