"""The content library: every word the bot says, loaded from `content/` and checked."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"

# The only {variables} a message may use; anything else is a typo that would reach a person.
VARIABLES = frozenset(
    {"name", "date", "time", "place", "with", "coach", "ref", "kind", "detail", "choice"}
)
MAX_MESSAGE = 200
MAX_BUTTON = 20


class ContentError(Exception):
    """A content file is missing or wrong; the message names the file."""


@dataclass(frozen=True)
class Message:
    key: str
    text: str
    easy: str

    def variables(self) -> set[str]:
        return template_variables(self.text) | template_variables(self.easy)


@dataclass(frozen=True)
class ContentLibrary:
    version: str
    language: str
    messages: dict[str, Message]
    buttons: dict[str, str]
    alert_kinds: dict[str, str] = field(default_factory=dict)
    commands: dict[str, str] = field(default_factory=dict)

    def message(self, key: str) -> Message:
        try:
            return self.messages[key]
        except KeyError:
            raise KeyError(f"no message {key!r} in content version {self.version}") from None

    def button(self, key: str) -> str:
        try:
            return self.buttons[key]
        except KeyError:
            raise KeyError(f"no button {key!r} in content version {self.version}") from None


def template_variables(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def fill(text: str, variables: dict[str, str]) -> str:
    """Put the variables into the text; a missing one raises KeyError."""
    return text.format_map(variables)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: the content file is missing") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}" if mark is not None else "somewhere"
        raise ContentError(f"{path}, {where}: {error.problem}") from None
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: expected a mapping at the top")
    return raw


def _text(path: Path, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{path}: {where} must be non-empty text")
    unknown = template_variables(value) - VARIABLES
    if unknown:
        raise ContentError(f"{path}: {where} uses unknown variables {sorted(unknown)}")
    return value.strip()


def load_content(directory: Path = CONTENT_DIR) -> ContentLibrary:
    """Load and check the library; raise ContentError naming the file on any problem."""
    path = directory / "messages.yaml"
    raw = _read_yaml(path)
    messages: dict[str, Message] = {}
    for key, item in (raw.get("messages") or {}).items():
        if not isinstance(item, dict):
            raise ContentError(f"{path}: message {key!r} must be a mapping with 'text'")
        text = _text(path, f"message {key!r} text", item.get("text"))
        easy = _text(path, f"message {key!r} easy", item.get("easy", text))
        messages[str(key)] = Message(str(key), text, easy)
    buttons = {
        str(key): _text(path, f"button {key!r}", label)
        for key, label in (raw.get("buttons") or {}).items()
    }
    kinds = {
        str(key): _text(path, f"alert kind {key!r}", label)
        for key, label in (raw.get("alert_kinds") or {}).items()
    }
    commands = {
        str(key): _text(path, f"command {key!r}", label)
        for key, label in (raw.get("commands") or {}).items()
    }
    if not messages or not buttons:
        raise ContentError(f"{path}: no messages or no buttons")
    return ContentLibrary(
        version=str(raw.get("version", "unversioned")),
        language=str(raw.get("language", "en")),
        messages=messages,
        buttons=buttons,
        alert_kinds=kinds,
        commands=commands,
    )
