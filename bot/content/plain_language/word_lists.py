"""The word lists of the plain-language check, read from content/plain_language.yaml:
acronyms that may be in capitals, idioms to avoid, and the items accepted below the
reading-ease target (each with its reason). Words are data; this module only reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bot.content.library import CONTENT_DIR, ContentError
from bot.content.loading import Located, read_yaml

RULES_FILE = "plain_language.yaml"
FIELDS = ("text", "easy", "voice")


@dataclass(frozen=True)
class Accepted:
    """An item whose words may stay below the reading-ease target, and why."""

    fields: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Rules:
    version: str
    acronyms: frozenset[str]
    idioms: tuple[str, ...]
    accepted: dict[str, Accepted] = field(default_factory=dict)

    def accepted_reason(self, key: str, field_name: str) -> str | None:
        """The reason `key`'s `field_name` may stay below the target; None when it may not."""
        accepted = self.accepted.get(key)
        return accepted.reason if accepted and field_name in accepted.fields else None


def _words(raw: Located, name: str, path: Path) -> tuple[str, ...]:
    items = raw.get(name)
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise ContentError(f"{path}, line {raw.line_of(name)}: {name} must be a list of words")
    return tuple(item.strip() for item in items)


def _accepted(raw: Located, path: Path) -> dict[str, Accepted]:
    items = raw.get("reading_ease_exceptions") or {}
    where = f"{path}, line {raw.line_of('reading_ease_exceptions')}"
    if not isinstance(items, dict):
        raise ContentError(f"{where}: reading_ease_exceptions must be a mapping")
    accepted = {}
    for key, item in items.items():
        fields = item.get("fields") if isinstance(item, dict) else None
        reason = item.get("reason") if isinstance(item, dict) else None
        line = items.line_of(key) if isinstance(items, Located) else raw.line
        if not isinstance(fields, list) or not set(fields) <= set(FIELDS) or not fields:
            raise ContentError(f"{path}, line {line}: {key} needs fields, some of {FIELDS}")
        if not isinstance(reason, str) or not reason.strip():
            raise ContentError(f"{path}, line {line}: {key} needs a reason")
        accepted[str(key)] = Accepted(tuple(fields), reason.strip())
    return accepted


def load_rules(directory: Path = CONTENT_DIR) -> Rules:
    """Read and check the lists; ContentError names the file and line of a problem."""
    path = directory / RULES_FILE
    raw = read_yaml(path, ContentError)
    return Rules(
        version=str(raw.get("version", "unversioned")),
        acronyms=frozenset(_words(raw, "acronyms", path)),
        idioms=tuple(idiom.lower() for idiom in _words(raw, "idioms", path)),
        accepted=_accepted(raw, path),
    )


@cache
def default_rules() -> Rules:
    """The lists in content/, read once, when first needed."""
    return load_rules()
