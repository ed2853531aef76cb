"""Finding crisis words in free text. The list lives in content/crisis_words.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content.library import CONTENT_DIR, ContentError

_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" -> "dont"), words joined by one space."""
    return " ".join(_NOT_WORD.sub(" ", _APOSTROPHES.sub("", text.lower())).split())


@dataclass(frozen=True)
class CrisisWords:
    version: str
    phrases: tuple[str, ...]
    not_crisis: tuple[str, ...]

    def matches(self, text: str) -> bool:
        words = f" {normalise(text)} "
        for harmless in self.not_crisis:  # blank out everyday phrases first
            words = words.replace(f" {harmless} ", " ")
        return any(f" {phrase} " in words for phrase in self.phrases)


def load_crisis_words(directory: Path = CONTENT_DIR) -> CrisisWords:
    path = directory / "crisis_words.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: the crisis word list is missing") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}" if mark is not None else "somewhere"
        raise ContentError(f"{path}, {where}: {error.problem}") from None
    phrases = tuple(normalise(str(p)) for p in raw.get("phrases") or [])
    if not phrases:
        raise ContentError(f"{path}: no phrases")
    return CrisisWords(
        str(raw.get("version", "unversioned")),
        phrases,
        tuple(normalise(str(p)) for p in raw.get("not_crisis") or []),
    )
