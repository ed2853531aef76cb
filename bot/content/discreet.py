"""Discreet first lines: the words a lock screen must never show, and a place's short name
without them. The list lives in content/discreet_words.yaml, a reviewed file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import yaml

from bot.content.library import CONTENT_DIR, ContentError


def first_line(text: str) -> str:
    """What a notification shows first: the words up to the first line break."""
    return text.strip().split("\n", 1)[0]


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the phrases, as whole words, whatever the case and spacing."""
    longest_first = sorted(phrases, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in longest_first)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class DiscreetWords:
    version: str
    words: tuple[str, ...]
    place_words: tuple[str, ...] = ()
    unnamed_place: str = "your appointment"  # the short name when no part of a place is one

    @cached_property
    def _telling(self) -> re.Pattern[str]:
        return _pattern(self.words)

    @cached_property
    def _dropped(self) -> re.Pattern[str]:
        return _pattern(self.words + self.place_words)

    def found_in(self, text: str) -> list[str]:
        """The listed words `text` holds, as it spells them."""
        return [match.group(0) for match in self._telling.finditer(text)]

    def short_place(self, place: str) -> str:
        """The first part of a place that still names somewhere once the telling and
        plain words (and house numbers) are gone: "Camberwell Probation Office, 45
        Camberwell Road" is "Camberwell"; `unnamed_place` when no part does."""
        for part in place.split(","):
            left = [w for w in self._dropped.sub(" ", part).split() if not w[0].isdigit()]
            if left:
                return " ".join(left)
        return self.unnamed_place


@cache
def load_discreet_words(directory: Path = CONTENT_DIR) -> DiscreetWords:
    path = directory / "discreet_words.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: the discreet word list is missing") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}" if mark is not None else "somewhere"
        raise ContentError(f"{path}, {where}: {error.problem}") from None
    words = tuple(" ".join(str(w).split()) for w in raw.get("words") or [] if str(w).strip())
    if not words:
        raise ContentError(f"{path}: no words")
    places = tuple(" ".join(str(w).split()) for w in raw.get("place_words") or [])
    unnamed = str(raw.get("unnamed_place") or "").strip()
    if not unnamed or _pattern(words).search(unnamed):
        raise ContentError(f"{path}: unnamed_place must be discreet words")
    return DiscreetWords(str(raw.get("version", "unversioned")), words, places, unnamed)
