"""Editing the content library from the dashboard: save an edit, list an item's history,
restore the file's words, and the library with the newest edits laid over the files.

Every edit is kept (content_edit rows are never changed or deleted); the newest for an
item and language wins. A row holds only the fields that differ from the file, so an edit
that restores the file's words holds none, and a file updated later still shows through
in every field no one edited. An edit is checked exactly as a file's item is and held to
the same writing rules (bot/content/overlay.py); one that fails raises EditRefused (an
Invalid naming the field) and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.content.library import BASE_LANGUAGE, ContentLibrary
from bot.content.overlay import (
    BUTTON,
    Checked,
    Edit,
    EditRefused,
    button_key,
    changed,
    check_edit,
    editable,
    is_button,
    lay_over,
    with_edits,
)
from bot.domain.clock import Clock
from bot.domain.errors import NotFound
from bot.models import Account, ContentEdit
from bot.storage import UnitOfWork

__all__ = [
    "EditRefused",
    "HistoryLine",
    "button_key",
    "check_draft",
    "effective_library",
    "history",
    "is_edited",
    "revert",
    "save",
    "words_of",
]


@dataclass(frozen=True)
class HistoryLine:
    id: int
    edited_at: datetime
    edited_by: str  # the account's name
    fields: dict[str, Any]  # what differs from the file; empty: the file's words
    restores_file: bool


def _rows(
    session: Session, key: str | None = None, language: str | None = None
) -> list[ContentEdit]:
    """Edits oldest first (by time, then by id for edits in the same instant)."""
    query = select(ContentEdit).order_by(col(ContentEdit.edited_at), col(ContentEdit.id))
    if key is not None:
        query = query.where(ContentEdit.key == key)
    if language is not None:
        query = query.where(ContentEdit.language == language)
    return list(session.exec(query).all())


def _newest(session: Session) -> list[Edit]:
    newest: dict[tuple[str, str], ContentEdit] = {}
    for row in _rows(session):
        newest[(row.key, row.language)] = row
    return [Edit(row.key, row.language, dict(row.fields)) for row in newest.values()]


def effective_library(session: Session, files: ContentLibrary) -> ContentLibrary:
    """The library people get: the files (`load_content()`), with the newest edit of each
    item laid over them. Call it at start, after the migrations, and use what `save` and
    `revert` return after each change."""
    return with_edits(files, _newest(session))


def _current(session: Session, key: str, language: str) -> dict[str, Any]:
    rows = _rows(session, key, language)
    return dict(rows[-1].fields) if rows else {}


def words_of(library: ContentLibrary, key: str, language: str = BASE_LANGUAGE) -> dict[str, Any]:
    """An item's fields as the editor's form shows them, from `library` (the effective one
    for the words people get now, the files' one for the words a revert restores): a
    message's "text", "easy", "voice" and "card"; a button's "label"."""
    try:
        if is_button(key):
            return {"label": library.button(key.removeprefix(BUTTON), language)}
        return editable(library.message(key, language))
    except KeyError:
        raise NotFound(f"no content item {key!r}") from None


def check_draft(
    session: Session,
    files: ContentLibrary,
    key: str,
    fields: Mapping[str, Any],
    language: str = BASE_LANGUAGE,
) -> Checked:
    """What saving `fields` now would make, with every finding of the writing rules, for
    the editor to show as the words are typed. Nothing is saved. Raises NotFound for an
    unknown item and EditRefused for a broken field."""
    current = _current(session, key, language)
    return check_edit(files, Edit(key, language, lay_over(current, fields)))


def _stored(files: ContentLibrary, checked: Checked) -> dict[str, Any]:
    """Only the fields that differ from the file's words."""
    if checked.label is not None:
        file_label = files.button(checked.key.removeprefix(BUTTON), checked.language)
        return {} if checked.label == file_label else {"label": checked.label}
    assert checked.message is not None
    file_message = files.message(checked.key, checked.language)
    return changed(editable(file_message), editable(checked.message))


def _add(uow: UnitOfWork, clock: Clock, edit: Edit, edited_by: int) -> None:
    row = ContentEdit(
        key=edit.key,
        language=edit.language,
        fields=dict(edit.fields),
        edited_by=edited_by,
        edited_at=clock.now(),
    )
    uow.session.add(row)
    uow.flush()


def save(
    uow: UnitOfWork,
    clock: Clock,
    files: ContentLibrary,
    *,
    key: str,
    fields: Mapping[str, Any],
    edited_by: int,
    language: str = BASE_LANGUAGE,
) -> ContentLibrary:
    """Save the fields a coach changed (a message's "text", "easy", "voice" or "card"
    fields; a button's "label", with `key` from `button_key`) over the item's words now,
    and return the library with it. A problem of the writing rules refuses the edit."""
    session = uow.session
    current = _current(session, key, language)
    checked = check_edit(files, Edit(key, language, lay_over(current, fields)))
    if checked.problems:
        first = checked.problems[0]
        raise EditRefused(first.field, first.message, checked.problems)
    stored = _stored(files, checked)
    if stored != current:  # else nothing changes
        _add(uow, clock, Edit(key, language, stored), edited_by)
    return effective_library(session, files)


def revert(
    uow: UnitOfWork,
    clock: Clock,
    files: ContentLibrary,
    *,
    key: str,
    edited_by: int,
    language: str = BASE_LANGUAGE,
) -> ContentLibrary:
    """Restore the file's words: an edit with no fields, kept in the history like any
    other. Returns the library with it."""
    check_edit(files, Edit(key, language))  # the item and the language exist
    _add(uow, clock, Edit(key, language), edited_by)
    return effective_library(uow.session, files)


def history(session: Session, key: str, language: str = BASE_LANGUAGE) -> list[HistoryLine]:
    """Every edit of an item in a language, newest first."""
    query = (
        select(ContentEdit, Account.name)
        .join(Account, col(Account.id) == col(ContentEdit.edited_by))
        .where(ContentEdit.key == key, ContentEdit.language == language)
        .order_by(col(ContentEdit.edited_at).desc(), col(ContentEdit.id).desc())
    )
    return [
        HistoryLine(row.id or 0, row.edited_at, name, dict(row.fields), not row.fields)
        for row, name in session.exec(query).all()
    ]


def is_edited(session: Session, key: str, language: str = BASE_LANGUAGE) -> bool:
    """True when the newest edit of the item changes its words."""
    return bool(_current(session, key, language))
