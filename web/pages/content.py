"""The content library and its editor: every item with its formats, and one item's words
edited beside a live preview of every format (the plain and easy-read words, the picture
card, the voice note) with the plain-language check's findings and reading scores.

The page's script (static/content_editor.js) asks `POST /content/{key}/preview` for the
preview as the words are typed; the card and the voice note are loaded from their own
addresses (`card.png`, `voice.ogg`, made on demand and cached), so typing never waits for
them. Without the script, "Check" shows the same preview and "Save" saves. A save is
held to the same writing rules as the files: one that breaks them is a 422 with each
problem on its field, keeping what was typed, and nothing is saved. Every save and every
"go back to the file's words" is kept in the item's history and written to the audit
trail in the same unit of work, and the running Waymark sends the new words at once.

Coaches and managers may both view and edit (bot/services/access.py gives Can.CONTENT to both):
the library holds the service's words, never a person's data, managers answer for the
service's quality, every edit is held to the same rules and kept in the history, and any
edit can be undone with "Go back to the file's words".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from bot.content.library import ContentLibrary
from bot.content.overlay import is_button
from bot.domain.clock import Clock
from bot.domain.errors import NotFound
from bot.models import Account
from bot.services import audit, content_edits
from bot.services.access import Can, need
from bot.storage import UnitOfWork
from web.auth import CurrentAccount
from web.deps import ClockDep, ContentDep, FilesDep, UowDep, UseContentDep
from web.pages import content_drafts as drafts
from web.pages import content_form as forms
from web.pages import content_view as views
from web.pages.content_library import history_lines, library_rows
from web.pages.forms import done
from web.pages.notice import take as take_notice
from web.templating import page

router = APIRouter()


def _editor(
    request: Request,
    uow: UnitOfWork,
    content: ContentLibrary,
    files: ContentLibrary,
    key: str,
    language: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    checked: bool = False,
) -> HTMLResponse:
    shown = forms.names(files, key, language)
    now = drafts.words_now(content, key, language)
    values = values or now
    file_values = forms.values_of(content_edits.words_of(files, key, language))
    base = files.language
    context: dict[str, Any] = {
        "key": key,
        "button": is_button(key),
        "language": language,
        "languages": [(code, code) for code in files.languages],
        "fields": [f for f in forms.form_fields(shown) if not f.name.startswith("card_")],
        "card_fields": [f for f in forms.form_fields(shown) if f.name.startswith("card_")],
        "values": values,
        "errors": errors or {},
        "checked": checked,
        "view": drafts.preview_of(uow, content, files, key, language, values),
        "edited": now != file_values,
        "file_values": file_values,
        "labels": forms.LABELS,
        "history": history_lines(content_edits.history(uow.session, key, language)),
        "action_url": views.item_url(key),
        "preview_url": views.item_url(key, "/preview"),
        "revert_url": views.item_url(key, "/revert"),
        "switch_url": views.item_url(key),
        "base_language": base,
        "notice": take_notice(request),
    }
    status = 422 if errors else 200
    return page(request, "content/editor.html", context, status)


@router.get("/content")
def library(
    request: Request,
    content: ContentDep,
    files: FilesDep,
    account: CurrentAccount,
    q: Annotated[str, Query(max_length=100)] = "",
    language: Annotated[str, Query(max_length=8)] = "",
) -> HTMLResponse:
    need(account, Can.CONTENT)
    if language and language not in files.languages:
        raise NotFound(f"the content library has no language {language!r}")
    chosen = language or files.language
    messages, buttons = library_rows(content, files, chosen, q.strip())
    context = {
        "q": q.strip(),
        "language": chosen,
        "languages": [(code, code) for code in files.languages],
        "messages": messages,
        "buttons": buttons,
        "notice": take_notice(request),
    }
    return page(request, "content/library.html", context)


@router.get("/content/{key}")
def editor(
    request: Request,
    key: str,
    uow: UowDep,
    content: ContentDep,
    files: FilesDep,
    account: CurrentAccount,
    language: Annotated[str, Query(max_length=8)] = "",
) -> HTMLResponse:
    need(account, Can.CONTENT)
    key, language = drafts.item(files, key, language)
    return _editor(request, uow, content, files, key, language)


@router.post("/content/{key}", response_model=None)
def check_or_save(
    request: Request,
    key: str,
    form: drafts.Posted,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    files: FilesDep,
    use_content: UseContentDep,
    account: CurrentAccount,
) -> Response:
    """ "Check" shows the preview of the words typed; "Save" saves them, or shows each
    problem on its field (422) with the words kept and nothing saved."""
    need(account, Can.CONTENT)
    key, language, values = drafts.typed(content, files, form, key)
    errors = forms.too_long(values)
    if form.get("action") != "save" or errors:
        return _editor(
            request, uow, content, files, key, language, values=values, errors=errors, checked=True
        )
    return _save(request, uow, clock, content, files, use_content, account, key, language, values)


def _save(
    request: Request,
    uow: UnitOfWork,
    clock: Clock,
    content: ContentLibrary,
    files: ContentLibrary,
    use_content: Callable[[ContentLibrary], None],
    account: Account,
    key: str,
    language: str,
    values: dict[str, str],
) -> Response:
    assert account.id is not None
    before = drafts.words_now(content, key, language)
    audit.record(uow.session, clock, account.id, "change", f"content {key}")
    try:
        library = content_edits.save(
            uow,
            clock,
            files,
            key=key,
            fields=forms.fields_of(values, before),
            edited_by=account.id,
            language=language,
        )
    except content_edits.EditRefused as refused:
        uow.rollback()  # nothing half saved: not even the audit entry
        shown = forms.names(files, key, language)
        errors = forms.refusal_errors(refused, shown)
        return _editor(request, uow, content, files, key, language, values=values, errors=errors)
    uow.after_commit(lambda: use_content(library))  # once the edit is saved
    url = views.item_url(key, language=language, base=files.language)
    if forms.values_of(content_edits.words_of(library, key, language)) == before:
        return done(request, url, "Nothing to save: these are the words people get now")
    return done(request, url, "Saved. People get the new words from now on")


@router.post("/content/{key}/revert", response_model=None)
def revert(
    request: Request,
    key: str,
    uow: UowDep,
    clock: ClockDep,
    files: FilesDep,
    use_content: UseContentDep,
    account: CurrentAccount,
    language: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Go back to the file's words: kept in the history like any other edit."""
    need(account, Can.CONTENT)
    assert account.id is not None
    key, language = drafts.item(files, key, language)
    audit.record(uow.session, clock, account.id, "change", f"content {key}")
    library = content_edits.revert(
        uow, clock, files, key=key, edited_by=account.id, language=language
    )
    uow.after_commit(lambda: use_content(library))  # once the edit is saved
    url = views.item_url(key, language=language, base=files.language)
    return done(request, url, "The file's words are back. People get them from now on")


@router.post("/content/{key}/preview")
def live_preview(
    key: str,
    form: drafts.Posted,
    uow: UowDep,
    content: ContentDep,
    files: FilesDep,
    account: CurrentAccount,
) -> JSONResponse:
    """The preview of the words typed, as JSON, for the page's script. Nothing is saved."""
    need(account, Can.CONTENT)
    key, language, values = drafts.typed(content, files, form, key)
    errors = forms.too_long(values)
    kind = "button" if is_button(key) else "message"
    view = (
        views.of_refusal(kind, errors)
        if errors
        else drafts.preview_of(uow, content, files, key, language, values)
    )
    return JSONResponse(asdict(view))
