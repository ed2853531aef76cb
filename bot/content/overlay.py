"""Edits from the dashboard's content editor, laid over the library the files give.

An edit names an item (a message's key, or "button:<key>" for a button label), a language
and the fields it changes: "text", "easy", "voice" and "card" (its "title", "top", "big",
"small" and "caption") for a message, "label" for a button. Fields it leaves out keep the
file's words, and an edit with no fields restores the file's version. Every edit is
checked exactly as a file's item is (bot/content/library.py) and held to the same writing rules
(bot/content/rules.py), so the library an edit makes is one the files could have made.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.content.library import (
    BASE_LANGUAGE,
    ContentError,
    ContentLibrary,
    Message,
    parse_message,
    parse_text,
    template_variables,
)
from bot.content.loading import Located
from bot.content.plain_language.check import Finding, Severity
from bot.content.rules import button_findings, message_findings, problems
from bot.domain.errors import Invalid, NotFound, WaymarkError

log = logging.getLogger(__name__)

BUTTON = "button:"
WORDS = ("text", "easy", "voice")
CARD = ("title", "top", "big", "small", "caption")
FIELD_NAMES = {
    "text": "plain words",
    "easy": "easy-read words",
    "voice": "voice script",
    "card": "picture card",
    "label": "button label",
    **{f"card {name}": f"card {name}" for name in CARD},
}


class EditRefused(Invalid):
    """An edit that cannot be saved: `field` says which field, `findings` the problems the
    writing rules found (empty when the field itself is broken)."""

    def __init__(self, field: str, problem: str, findings: Iterable[Finding] = ()) -> None:
        name = FIELD_NAMES.get(field, field) or "the item"
        super().__init__(f"{name}: {problem}")
        self.field = field
        self.findings = tuple(findings)


@dataclass(frozen=True)
class Edit:
    """An edit as it is laid over the library: the newest for its key and language."""

    key: str
    language: str = BASE_LANGUAGE
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Checked:
    """An edited item and everything the writing rules found in it."""

    key: str
    language: str
    message: Message | None  # the edited message; None for a button
    label: str | None  # the edited button label; None for a message
    findings: tuple[Finding, ...]

    @property
    def problems(self) -> list[Finding]:
        return problems(list(self.findings))


def button_key(key: str) -> str:
    return f"{BUTTON}{key}"


def is_button(key: str) -> bool:
    return key.startswith(BUTTON)


def editable(message: Message) -> dict[str, Any]:
    """The fields of a message a coach can edit, with their words now."""
    if message.words_only:
        return {"text": message.text}
    fields: dict[str, Any] = {"text": message.text, "easy": message.easy, "voice": message.voice}
    if message.card is not None:
        card = message.card
        small = list(card.small)
        fields["card"] = {
            "title": card.title,
            "top": card.top,
            "big": card.big,
            "small": small,
            "caption": card.caption,
        }
    return fields


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of `after` that differ from `before` (a card's, field by field)."""
    out: dict[str, Any] = {}
    for name, value in after.items():
        if name == "card" and isinstance(value, Mapping):
            was = before.get("card") or {}
            card = {k: v for k, v in value.items() if was.get(k) != v}
            if card:
                out["card"] = card
        elif before.get(name) != value:
            out[name] = value
    return out


def _raw(message: Message) -> dict[str, Any]:
    """A message as its YAML says it (formats not yet written stay out)."""
    if message.words_only:
        return {"words_only": True, "text": message.text}
    raw: dict[str, Any] = {"text": message.text}
    written = [name for name in ("easy", "voice") if name not in message.missing]
    raw |= {name: getattr(message, name) for name in written}
    if message.card is not None:
        spec = message.card
        card: dict[str, Any] = {"kind": spec.kind, "icon": spec.icon, "small": list(spec.small)}
        for name in ("title", "big", "caption", "top", "done", "total"):
            if getattr(spec, name):
                card[name] = getattr(spec, name)
        raw["card"] = card
    return raw


def _located(value: Any) -> Any:
    if isinstance(value, Mapping):
        return Located({key: _located(item) for key, item in value.items()})
    if isinstance(value, list):
        return [_located(item) for item in value]
    return value


def lay_over(raw: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """`fields` over `raw`: a card's fields one by one, every other field whole."""
    out = dict(raw)
    for name, value in fields.items():
        card = raw.get("card")
        if name == "card" and isinstance(value, Mapping) and isinstance(card, Mapping):
            out["card"] = {**card, **value}
        else:
            out[name] = value
    return out


def _parse(key: str, raw: Mapping[str, Any], field_name: str) -> Message:
    try:
        return parse_message(key, _located(raw))
    except ContentError as problem:
        raise EditRefused(field_name, str(problem)) from None


def _allowed(message: Message) -> set[str]:
    return {"text"} if message.words_only else {*WORDS, *(["card"] if message.card else [])}


def edited_message(file_message: Message, fields: Mapping[str, Any]) -> Message:
    """The file's message with `fields` laid over it, checked as a file's item is. Each
    field is tried alone first, so a problem is laid at its own field's door."""
    unknown = sorted(set(fields) - _allowed(file_message))
    if unknown:
        raise EditRefused(unknown[0], f"{file_message.key!r} has no such field to edit")
    card = fields.get("card")
    if card is not None and not (isinstance(card, Mapping) and set(card) <= set(CARD)):
        raise EditRefused("card", f"a card's words are {', '.join(CARD)}")
    raw = _raw(file_message)
    for name, value in fields.items():
        if name != "card":
            _parse(file_message.key, lay_over(raw, {name: value}), name)
    for name, value in (card or {}).items():
        _parse(file_message.key, lay_over(raw, {"card": {name: value}}), f"card {name}")
    edited = _parse(file_message.key, lay_over(raw, fields), "")
    # The discreet first line and protection are the reviewed file's, never an edit's.
    preview, protect = file_message.preview, file_message.protect
    return replace(edited, line=file_message.line, preview=preview, protect=protect)


def edited_label(fields: Mapping[str, Any]) -> str:
    unknown = sorted(set(fields) - {"label"})
    if unknown:
        raise EditRefused(unknown[0], "a button has only a label to edit")
    try:
        return parse_text(fields.get("label"), "a button label")
    except ContentError as problem:
        raise EditRefused("label", str(problem)) from None


def _same_variables(file_message: Message, message: Message) -> list[Finding]:
    """The words keep exactly the {variables} the code fills in for this item: one more is
    a message that cannot be filled; one fewer may lose the time or the place."""
    needed = template_variables(file_message.text)
    found = []
    for name in ("text", "easy"):
        words = getattr(message, name)
        if template_variables(words) != needed:
            names = ", ".join(f"{{{v}}}" for v in sorted(needed)) or "no {variables}"
            problem = f"These words need exactly the {{variables}} this item is given: {names}."
            found.append(Finding("variables", Severity.PROBLEM, problem, words, name))
    return found


def _edited(files: ContentLibrary, edit: Edit) -> Checked:
    """The item `edit` makes, checked as a file's item is, with the findings any item
    that can go out must not have (a {variable} the code does not fill in)."""
    if edit.language not in files.languages:
        raise EditRefused("", f"the library has no language {edit.language!r}")
    if is_button(edit.key):
        key = edit.key.removeprefix(BUTTON)
        if key not in files.buttons:
            raise NotFound(f"no button {key!r} in the content library")
        label = edited_label(edit.fields) if edit.fields else files.button(key, edit.language)
        return Checked(edit.key, edit.language, None, label, ())
    if edit.key not in files.messages:
        raise NotFound(f"no content item {edit.key!r}")
    file_message = files.message(edit.key, edit.language)
    message = edited_message(file_message, edit.fields)
    found = _same_variables(file_message, message)
    return Checked(edit.key, edit.language, message, None, tuple(found))


def check_edit(files: ContentLibrary, edit: Edit) -> Checked:
    """The item `edit` makes, with every finding of the writing rules. Raises NotFound for
    an unknown item, EditRefused for a field that is broken (problems of the writing rules
    are findings here: `save` refuses them, the editor shows them live)."""
    checked = _edited(files, edit)
    language = edit.language
    if checked.message is not None:
        found = message_findings(checked.message, language=language)
    else:
        found = button_findings(checked.label or "", language=language)
    return replace(checked, findings=(*checked.findings, *found))


def with_edits(files: ContentLibrary, edits: Iterable[Edit]) -> ContentLibrary:
    """The library the files give with each edit laid over it. An edit the files no longer
    allow (its item or its language gone, a variable retired or no longer given) is left
    out, and logged; the file's words stand."""
    libraries = {files.language: files, **files.translations}
    messages = {language: dict(lib.messages) for language, lib in libraries.items()}
    buttons = {language: dict(lib.buttons) for language, lib in libraries.items()}
    for edit in edits:
        if not edit.fields:
            continue  # restores the file's version
        try:  # the writing rules held when it was saved; what it needs to go out, now
            checked = _edited(files, edit)
            if checked.problems:
                raise EditRefused(checked.problems[0].field, checked.problems[0].message)
        except WaymarkError as problem:
            extra = {"content_key": edit.key, "language": edit.language, "error": str(problem)}
            log.warning("content edit left out", extra=extra)
            continue
        if checked.label is not None:
            buttons[edit.language][edit.key.removeprefix(BUTTON)] = checked.label
        elif checked.message is not None:
            messages[edit.language][edit.key] = checked.message
    translations = {
        language: replace(lib, messages=messages[language], buttons=buttons[language])
        for language, lib in files.translations.items()
    }
    return replace(
        files,
        messages=messages[files.language],
        buttons=buttons[files.language],
        translations=translations,
    )
