"""The content editor's form: which fields an item has (a message's words, easy-read
words, voice script and card lines, or a button's label), what they hold now, the words
typed in them turned into the fields an edit saves, and a refused edit turned into a
message on each field it is about."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.content.library import ContentLibrary
from bot.content.overlay import is_button
from bot.content.plain_language.check import Finding
from bot.services import content_edits

MAX_CHARACTERS = 1000  # per field, as the API allows
SMALL_LINES = 4  # bot/content/library.py MAX_SMALL_LINES
SMALL = tuple(f"card_small_{number}" for number in range(1, SMALL_LINES + 1))
LABELS = {
    "text": "Plain words",
    "easy": "Easy-read words",
    "voice": "Voice script",
    "card_title": "Card title",
    "card_top": "Card top line",
    "card_big": "Card big line",
    **{name: f"Card line {number}" for number, name in enumerate(SMALL, 1)},
    "card_caption": "Words under the card",
    "label": "Button label",
}
HINTS = {
    "text": "What a person who chose plain words reads. Under 200 characters.",
    "easy": "Short sentences of 15 words or fewer.",
    "voice": "What the voice note says. Write times as {spoken_time}, never as 10:00.",
    "card_top": "Above the big line: the date.",
    "card_big": "The one line that matters most.",
    "card_caption": "The short words sent under the picture.",
    "label": "An emoji, a space, then 20 characters or fewer in all.",
}
MULTILINE = frozenset({"text", "easy", "voice"})
_PREFIX = re.compile(r"^message '[^']*' ")


@dataclass(frozen=True)
class FormField:
    name: str  # the form's name and the input's id
    label: str
    hint: str
    multiline: bool


def names(files: ContentLibrary, key: str, language: str) -> tuple[str, ...]:
    """The form's fields for an item, from the file's item (the shape an edit keeps)."""
    if is_button(key):
        return ("label",)
    message = files.message(key, language)
    if message.words_only:
        return ("text",)
    shown = ["text", "easy", "voice"]
    card = message.card
    if card is not None:
        shown += ["card_title", *(["card_top"] if card.top else []), "card_big", *SMALL]
        shown.append("card_caption")
    return tuple(shown)


def form_fields(shown: tuple[str, ...]) -> list[FormField]:
    return [FormField(n, LABELS[n], HINTS.get(n, ""), n in MULTILINE) for n in shown]


def values_of(words: Mapping[str, Any]) -> dict[str, str]:
    """content_edits.words_of(...) as the form's values."""
    values = {
        name: str(words[name]) for name in ("text", "easy", "voice", "label") if name in words
    }
    card = words.get("card")
    if isinstance(card, Mapping):
        for name in ("title", "top", "big", "caption"):
            values[f"card_{name}"] = str(card.get(name) or "")
        small = list(card.get("small") or [])
        for number, name in enumerate(SMALL):
            values[name] = str(small[number]) if number < len(small) else ""
    return values


def _clean(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def typed(
    sent: Mapping[str, str], shown: tuple[str, ...], now: Mapping[str, str]
) -> dict[str, str]:
    """What the form holds: the words typed (an empty field too), and the words now for a
    field not sent at all."""
    return {name: _clean(sent[name]) if name in sent else now[name] for name in shown}


def too_long(values: Mapping[str, str]) -> dict[str, str]:
    return {
        name: f"{LABELS[name]} can have {MAX_CHARACTERS} characters at most: it has {len(value)}"
        for name, value in values.items()
        if len(value) > MAX_CHARACTERS
    }


def fields_of(values: Mapping[str, str], now: Mapping[str, str]) -> dict[str, Any]:
    """The fields of an edit (content_edits.save) from the form's values. Empty card lines
    are left out; an empty top line or caption is left out when there is none now (a
    caption is not needed), and is kept, to be refused, when there is one."""
    if "label" in values:
        return {"label": values["label"]}
    fields: dict[str, Any] = {n: values[n] for n in ("text", "easy", "voice") if n in values}
    if "card_title" in values:
        card: dict[str, Any] = {
            "title": values["card_title"],
            "big": values["card_big"],
            "small": [values[name] for name in SMALL if values.get(name)],
        }
        for name in ("top", "caption"):
            value = values.get(f"card_{name}", "")
            if value or now.get(f"card_{name}"):
                card[name] = value
        fields["card"] = card
    return fields


def field_of(about: str, shown: tuple[str, ...]) -> str:
    """The form field a finding or a refusal is about ("card small 2" -> card_small_2)."""
    name = about.replace(" ", "_")
    if name in shown:
        return name
    if name == "card_small" and SMALL[0] in shown:
        return SMALL[0]
    if name.startswith("card") and "card_title" in shown:
        return "card_title"
    return shown[0]


def _refusal(refused: content_edits.EditRefused, label: str) -> str:
    problem = str(refused).partition(": ")[2] or str(refused)
    if problem.endswith("must be non-empty text"):
        return f"Enter the {label.lower()}"
    problem = _PREFIX.sub("", problem)
    return f"{label}: {problem[:1].upper()}{problem[1:]}"


def refusal_errors(refused: content_edits.EditRefused, shown: tuple[str, ...]) -> dict[str, str]:
    """A message on each field the refusal is about: the first problem on each."""
    if not refused.findings:
        name = field_of(refused.field, shown)
        return {name: _refusal(refused, LABELS[name])}
    return problem_errors(refused.findings, shown)


def problem_errors(findings: tuple[Finding, ...], shown: tuple[str, ...]) -> dict[str, str]:
    """The first problem on each field, saying how many more the preview lists."""
    found: dict[str, list[str]] = {}
    for finding in findings:
        if finding.is_problem:
            found.setdefault(field_of(finding.field, shown), []).append(finding.message)
    errors = {}
    for name, messages in found.items():
        more = len(messages) - 1
        also = f" And {more} more problem{'s' if more > 1 else ''} with these words: see the check."
        errors[name] = messages[0] + (also if more else "")
    return errors
