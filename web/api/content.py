"""The content library: every message, as people get it (the files in content/ with the
newest dashboard edit of each item laid over them), and editing an item's words. An edit
is held to the same writing rules as the files; one that breaks them is a 422 naming the
field, and nothing is saved."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field, StringConstraints

from bot.content.library import ContentLibrary, Message
from bot.domain.errors import NotFound
from bot.services import content_edits
from bot.services.access import Can, need
from web.api.deps import Caller, note
from web.api.problems import FieldInvalid, refusals, refuse
from web.api.types import Input
from web.deps import ClockDep, ContentDep, FilesDep, UowDep, UseContentDep

router = APIRouter(tags=["content"])

KeyPath = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9_.-]{1,60}$", description="The item's key, as listed.")
]
Language = Annotated[
    str | None, Query(max_length=8, description="A language of the library; English if absent.")
]
Words = Annotated[str, StringConstraints(max_length=1000)]


class CardPublic(BaseModel):
    kind: str  # appointment, nudge, checkin or progress
    icon: str
    title: str
    top: str
    big: str
    small: list[str]
    caption: str


class ContentSummary(BaseModel):
    key: str
    text: str  # the plain words, with their {variables}
    words_only: bool  # coaches' alerts and notes: never a card or a voice note
    missing: list[str]  # formats not yet written (the words stand in)


class ContentItem(ContentSummary):
    language: str
    easy: str
    voice: str
    card: CardPublic | None


class CardUpdate(Input):
    title: Words | None = None
    top: Words | None = None
    big: Words | None = None
    small: Annotated[list[Words], Field(max_length=4)] | None = None
    caption: Words | None = None


class ContentUpdate(Input):
    """The fields to change; what is not given keeps its words."""

    language: Annotated[str, StringConstraints(max_length=8)] = "en"
    text: Words | None = None
    easy: Words | None = None
    voice: Words | None = None
    card: CardUpdate | None = None


def _files(files: ContentLibrary) -> ContentLibrary:
    """The library as the files give it: the base every edit is laid over."""
    return files


def _library(content: ContentLibrary) -> ContentLibrary:
    """The library people get now: the files with the newest edits (bot/composition.py)."""
    return content


def _language(library: ContentLibrary, language: str | None) -> str:
    if language is None:
        return library.language
    if language not in library.languages:
        have = ", ".join(library.languages)
        raise refuse("language", f"no content in {language!r}; the library has {have}")
    return language


def _summary(message: Message) -> ContentSummary:
    return ContentSummary(
        key=message.key,
        text=message.text,
        words_only=message.words_only,
        missing=list(message.missing),
    )


def _item(library: ContentLibrary, key: str, language: str) -> ContentItem:
    if key not in library.messages:
        raise NotFound(f"no content item {key!r}")
    message = library.message(key, language)
    card = message.card
    return ContentItem(
        **_summary(message).model_dump(),
        language=language,
        easy=message.easy,
        voice=message.voice,
        card=None
        if card is None or message.words_only
        else CardPublic(
            kind=card.kind,
            icon=card.icon,
            title=card.title,
            top=card.top,
            big=card.big,
            small=list(card.small),
            caption=card.caption,
        ),
    )


@router.get(
    "/content",
    summary="Every item of the content library",
    responses=refusals(403, 422),
)
def list_content(
    content: ContentDep, account: Caller, language: Language = None
) -> list[ContentSummary]:
    need(account, Can.CONTENT)
    library = _library(content)
    chosen = _language(library, language)
    return [_summary(library.message(key, chosen)) for key in sorted(library.messages)]


@router.get(
    "/content/{key}",
    summary="One item in every format",
    responses=refusals(403, 404, 422),
)
def get_content(
    key: KeyPath, content: ContentDep, account: Caller, language: Language = None
) -> ContentItem:
    need(account, Can.CONTENT)
    library = _library(content)
    return _item(library, key, _language(library, language))


@router.patch(
    "/content/{key}",
    summary="Change an item's words",
    description=(
        "Held to the writing rules the files are (length, easy-read sentences, reading "
        "ease, idioms, the same {variables}); every edit is kept in the item's history."
    ),
    responses=refusals(403, 404, 422),
)
def edit_content(
    key: KeyPath,
    body: ContentUpdate,
    uow: UowDep,
    clock: ClockDep,
    files: FilesDep,
    use_content: UseContentDep,
    account: Caller,
) -> ContentItem:
    need(account, Can.CONTENT)
    assert account.id is not None
    fields = body.model_dump(exclude_none=True, exclude={"language"})
    if not fields or fields.get("card") == {}:
        raise refuse("body", "give at least one field to change: text, easy, voice or card")
    language = _language(_files(files), body.language)
    if key not in _files(files).messages:
        raise NotFound(f"no content item {key!r}")
    note(uow, clock, account, "change", f"content {key}")
    try:
        library = content_edits.save(
            uow,
            clock,
            _files(files),
            key=key,
            fields=fields,
            edited_by=account.id,
            language=language,
        )
    except content_edits.EditRefused as refused:
        raise FieldInvalid(refused.field.replace(" ", ".") or "body", str(refused)) from None
    uow.after_commit(lambda: use_content(library))  # once the edit is saved
    return _item(library, key, language)
