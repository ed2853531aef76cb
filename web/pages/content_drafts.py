"""What the content editor's routes share: the form as sent, the item and language it is
about, the words it holds now, and the draft typed, checked and previewed (nothing saved)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Request

from bot.content.library import ContentLibrary
from bot.content.overlay import BUTTON, Checked, is_button
from bot.domain.errors import NotFound
from bot.rendering.preview import preview
from bot.rendering.renderer import Profile
from bot.services import content_edits
from bot.storage import UnitOfWork
from web.pages import content_form as forms
from web.pages import content_view as views

KEY = re.compile(r"^(button:)?[A-Za-z0-9_.-]{1,60}$")


async def posted(request: Request) -> dict[str, str]:
    """The form's fields as sent: an empty field stays an empty field (words taken away)."""
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


def asked(request: Request) -> dict[str, str]:
    """The draft in a card's or a voice note's address."""
    return dict(request.query_params)


Posted = Annotated[dict[str, str], Depends(posted)]
Asked = Annotated[dict[str, str], Depends(asked)]


def item(files: ContentLibrary, key: str, language: str) -> tuple[str, str]:
    """The key and the language, when the library has both."""
    if language and language not in files.languages:
        raise NotFound(f"the content library has no language {language!r}")
    known = key.removeprefix(BUTTON) in files.buttons if is_button(key) else key in files.messages
    if not KEY.match(key) or not known:
        raise NotFound(f"no content item {key!r}")
    return key, language or files.language


def words_now(content: ContentLibrary, key: str, language: str) -> dict[str, str]:
    return forms.values_of(content_edits.words_of(content, key, language))


def draft(
    uow: UnitOfWork,
    content: ContentLibrary,
    files: ContentLibrary,
    key: str,
    language: str,
    values: dict[str, str],
) -> tuple[Checked | None, dict[str, str]]:
    """The item as `values` would make it, or the message on each field it is refused on."""
    shown = forms.names(files, key, language)
    current = words_now(content, key, language)
    fields = forms.fields_of(values, current)
    try:
        checked = content_edits.check_draft(uow.session, files, key, fields, language)
    except content_edits.EditRefused as refused:
        return None, forms.refusal_errors(refused, shown)
    return checked, {}


def preview_of(
    uow: UnitOfWork,
    content: ContentLibrary,
    files: ContentLibrary,
    key: str,
    language: str,
    values: dict[str, str],
) -> views.PreviewView:
    shown = forms.names(files, key, language)
    checked, refused = draft(uow, content, files, key, language, values)
    kind = "button" if is_button(key) else "message"
    if checked is None:
        return views.of_refusal(kind, refused)
    if checked.label is not None:
        return views.of_button(checked.label, checked.findings, shown)
    found = preview(content, key, Profile(language=language), draft=checked)
    return views.of_message(found, shown, values)


def typed(
    content: ContentLibrary, files: ContentLibrary, sent: dict[str, str], key: str
) -> tuple[str, str, dict[str, str]]:
    key, language = item(files, key, sent.get("language", ""))
    shown = forms.names(files, key, language)
    return key, language, forms.typed(sent, shown, words_now(content, key, language))
