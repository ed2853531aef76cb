"""The picture card and the voice note of the words in the address, for the content
editor's preview: made on demand by the same MediaMaker that makes what people get (and
kept in its disk cache), so the page and its script load them beside the words."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from bot.content.library import ContentLibrary
from bot.content.overlay import is_button
from bot.domain.errors import NotFound
from bot.media.maker import MediaMaker
from bot.rendering.outgoing import Draft
from bot.rendering.preview import Preview, preview
from bot.rendering.renderer import Profile
from bot.services.access import Can, need
from bot.storage import UnitOfWork
from web.auth import CurrentAccount
from web.deps import ContentDep, FilesDep, MediaDep, UowDep
from web.pages import content_form as forms
from web.pages.content_drafts import Asked, draft, typed

router = APIRouter()
MEDIA_CACHE = "private, max-age=3600"  # an address names every word the file is made from


def media_draft(
    uow: UnitOfWork, content: ContentLibrary, files: ContentLibrary, key: str, form: dict[str, str]
) -> Preview:
    """The item with the words in the address laid over it (Invalid when they cannot be)."""
    if is_button(key):
        raise NotFound("a button has no picture card and no voice note")
    key, language, values = typed(content, files, form, key)
    too_long = forms.too_long(values)
    if too_long:
        raise HTTPException(422, " ".join(too_long.values()))
    checked, refused = draft(uow, content, files, key, language, values)
    if checked is None:
        raise HTTPException(422, " ".join(refused.values()))
    return preview(content, key, Profile(language=language), draft=checked)


async def _made(media: MediaMaker | None, wanted: Draft | None, what: str) -> Response:
    if wanted is None:
        raise NotFound(f"this item is words only: it has no {what}")
    if media is None:
        raise HTTPException(503, f"This Waymark makes no {what}s.")
    made = (await media.make(wanted)).media
    if made is None:
        raise HTTPException(503, f"The {what} could not be made. The words would go instead.")
    return Response(made.data, media_type=made.mime_type, headers={"Cache-Control": MEDIA_CACHE})


@router.get("/content/{key}/card.png")
async def card(
    key: str,
    form: Asked,
    uow: UowDep,
    content: ContentDep,
    files: FilesDep,
    media: MediaDep,
    account: CurrentAccount,
) -> Response:
    """The picture card of the words in the address (the card lines typed)."""
    need(account, Can.CONTENT)
    found = await run_in_threadpool(media_draft, uow, content, files, key, form)
    return await _made(media, found.card, "picture card")


@router.get("/content/{key}/voice.ogg")
async def voice(
    key: str,
    form: Asked,
    uow: UowDep,
    content: ContentDep,
    files: FilesDep,
    media: MediaDep,
    account: CurrentAccount,
) -> Response:
    """The voice note of the voice script in the address: Ogg Opus from espeak-ng, or
    MP3 when gTTS makes it (SPEECH_GTTS); the content type says which."""
    need(account, Can.CONTENT)
    found = await run_in_threadpool(media_draft, uow, content, files, key, form)
    return await _made(media, found.voice, "voice note")
