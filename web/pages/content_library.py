"""The rows of the content library's table (every message and every button label, with
its formats, whether it is edited, and its words at a glance) and of an item's history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.content.library import ContentLibrary, Message
from bot.content.overlay import button_key
from bot.services import content_edits
from bot.services.content_edits import HistoryLine
from web.pages.content_form import LABELS
from web.pages.content_view import item_url

GLANCE = 110  # characters of the words shown in the table
# The kinds of picture card, in words (bot/content/library.py CARD_KINDS).
KINDS = {
    "appointment": "Appointment",
    "nudge": "Nudge",
    "checkin": "Check-in",
    "progress": "Progress",
}
NO_CARD = "None"
FORMATS = (("text", "words"), ("easy", "easy-read"), ("voice", "voice"), ("card", "card"))


@dataclass(frozen=True)
class Row:
    key: str
    url: str
    kind: str  # its picture card's kind, which says what it is for; "None" for words only
    formats: str  # the formats it has, in words
    edited: bool
    words: str  # the words people get now, at a glance


@dataclass(frozen=True)
class History:
    edited_at: datetime
    edited_by: str
    what: str


def _glance(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= GLANCE else text[: GLANCE - 3].rstrip() + "..."


def _formats(message: Message) -> str:
    if message.words_only:
        return "Words only"
    have = [name for field, name in FORMATS if field not in message.missing]
    if message.card is None and "card" in have:
        have.remove("card")
    return ", ".join(have).capitalize()


def _kind(message: Message) -> str:
    if message.words_only or message.card is None:
        return NO_CARD
    return KINDS.get(message.card.kind, message.card.kind)


def _matches(query: str, *texts: str) -> bool:
    return not query or any(query.lower() in text.lower() for text in texts)


def library_rows(
    library: ContentLibrary, files: ContentLibrary, language: str, query: str = ""
) -> tuple[list[Row], list[Row]]:
    """The messages and the button labels, by key, that `query` finds in a key or in the
    words; `library` gives the words people get now, `files` the file's own."""
    base = files.language
    messages = []
    for key in sorted(library.messages):
        message = library.message(key, language)
        if not _matches(query, key, message.text):
            continue
        edited = content_edits.words_of(library, key, language) != content_edits.words_of(
            files, key, language
        )
        url = item_url(key, language=language, base=base)
        row = Row(key, url, _kind(message), _formats(message), edited, _glance(message.text))
        messages.append(row)
    buttons = []
    for name in sorted(library.buttons):
        label = library.button(name, language)
        key = button_key(name)
        if not _matches(query, key, label):
            continue
        edited = label != files.button(name, language)
        url = item_url(key, language=language, base=base)
        buttons.append(Row(key, url, NO_CARD, "Button label", edited, label))
    return messages, buttons


def _changed(fields: dict[str, Any]) -> str:
    names = []
    for name, value in fields.items():
        if name == "card" and isinstance(value, dict):
            for part in value:
                label = "card lines" if part == "small" else f"card {part}"
                names.append(label.replace("card caption", "words under the card"))
        else:
            names.append(LABELS.get(name, name).lower())
    return "Changed from the file's words: " + ", ".join(names)


def history_lines(lines: Iterable[HistoryLine]) -> list[History]:
    """An item's edits, newest first: who, when, and what differed from the file."""
    return [
        History(
            line.edited_at,
            line.edited_by,
            "Went back to the file's words" if line.restores_file else _changed(line.fields),
        )
        for line in lines
    ]
