"""A coach's read-only view of a person's web chat: what the person sees, with nothing to
press or type (the person's buttons are theirs alone). It is a dashboard page, so it
needs the coach's session, ends with it, and every look is in the audit trail; the chat's
own address (its capability) is never shown to the coach."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import HTMLResponse, Response

from bot.models import Person
from bot.services import audit, caseload, webchat
from bot.services.access import Can, person_for
from bot.storage import UnitOfWork
from web.auth import CurrentAccount
from web.deps import ClockDep, UowDep
from web.pages import person_page
from web.pages.forms import person_url, ref_from_url
from web.templating import page

router = APIRouter()
SHA256 = re.compile(r"^[0-9a-f]{64}$")
NO_STORE = {"Cache-Control": "no-store"}


def _chat_id(uow: UnitOfWork, person: Person) -> str:
    link = caseload.link_of(uow.session, person.id) if person.id is not None else None
    if link is None or link.channel != webchat.CHANNEL:
        raise HTTPException(404, "This person does not use the web chat.")
    return link.chat_id


@router.get("/people/{ref}/chat")
def chat_view(
    request: Request, ref: str, uow: UowDep, clock: ClockDep, account: CurrentAccount
) -> HTMLResponse:
    found = person_for(uow.session, account, ref_from_url(ref), Can.WEBCHAT)
    chat_id = _chat_id(uow, found)
    rows = webchat.latest(uow.session, chat_id)
    audit.record(uow.session, clock, account.id, "view", "web chat", person_id=found.id)
    files = person_url(found.ref, "/chat/files/")
    messages: list[dict[str, Any]] = [
        {
            "from_person": row.from_person,
            "words": webchat.words_of(row),
            "at": row.at,
            "media_kind": row.media_kind,
            "media_url": f"{files}{row.media_sha256}" if row.media_sha256 else None,
            "buttons": [] if row.closed else [b["label"] for line in row.buttons for b in line],
        }
        for row in rows
    ]
    context = person_page.common(request) | {"person": found, "messages": messages}
    response = page(request, "people/webchat.html", context)
    response.headers.update(NO_STORE)
    return response


@router.get("/people/{ref}/chat/files/{sha256}", response_model=None)
def chat_file(ref: str, sha256: str, uow: UowDep, account: CurrentAccount) -> Response:
    """A card or voice note of the person's web chat, for the coach's view of it."""
    found = person_for(uow.session, account, ref_from_url(ref), Can.WEBCHAT)
    chat_id = _chat_id(uow, found)
    kept = webchat.file_for_chat(uow.session, chat_id, sha256) if SHA256.match(sha256) else None
    if kept is None:
        raise HTTPException(404, "There is no file here.")
    inline = kept.mime_type.startswith(("image/", "audio/"))
    headers = NO_STORE | {
        "Content-Disposition": "inline" if inline else "attachment",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(kept.data, media_type=kept.mime_type, headers=headers)
