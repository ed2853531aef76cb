"""The plain-language check: does a piece of content meet the writing targets of DESIGN.md
section 5? It runs over the whole library in the tests (tests/unit/test_content.py) and
live in the dashboard's content editor.

`check` returns findings a coach can act on, each about one part of the text. A *problem*
misses a target the content must meet; *advice* is worth a look, and the words may stay.
`score` (bot/content/plain_language/reading_ease.py) is the summary the editor shows
as the words are typed.
The word lists (acronyms, idioms) live in content/plain_language.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from bot.content.library import MAX_BUTTON, MAX_MESSAGE
from bot.content.plain_language.reading_ease import (
    Score,
    score,
    sentence_words,
    sentences,
    without_variables,
)
from bot.content.plain_language.word_lists import Rules, default_rules

__all__ = ["Finding", "Kind", "Score", "Severity", "check", "score"]

Kind = Literal["message", "button", "voice", "line"]

EASY_SENTENCE_WORDS = 15  # DESIGN.md: easy-read sentences of 15 words or fewer
PLAIN_SENTENCE_WORDS = 25  # advice only: DESIGN.md asks for "short literal sentences"
ENGLISH = "en"  # the word lists and the reading-ease formula are for English

_CAPITALS = re.compile(r"(?<![\w&])[A-Z][A-Z&]*[A-Z](?![\w&])")
_EMPHASIS = re.compile(
    r"\*\*?[^*\s][^*]*\*|(?<!\w)__?[^_\s][^_]*_(?!\w)|~~[^~]+~~|</?(?:i|b|em|strong|u)>",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d\d\b")


class Severity(StrEnum):
    PROBLEM = "problem"  # misses a target of DESIGN.md section 5: fix it before it goes out
    ADVICE = "advice"  # worth a look; the words may stay


@dataclass(frozen=True)
class Finding:
    code: str  # too_long, long_sentence, reading_ease, idiom, capitals, emphasis, ...
    severity: Severity
    message: str  # for a coach: what is wrong, the target, and where
    part: str  # the part of the text it is about
    field: str = ""  # which field of a content item ("easy", "card title"); "" for a lone text

    @property
    def is_problem(self) -> bool:
        return self.severity is Severity.PROBLEM


def _start(sentence: str, words: int = 6) -> str:
    split = sentence.split()
    return " ".join(split[:words]) + (" ..." if len(split) > words else "")


def _length(text: str, kind: Kind) -> list[Finding]:
    if kind == "button" and len(text) > MAX_BUTTON:
        message = (
            f"This button label has {len(text)} characters. Labels need {MAX_BUTTON} or fewer."
        )
        return [Finding("button_length", Severity.PROBLEM, message, text)]
    if kind in ("message", "voice") and len(text) >= MAX_MESSAGE:
        message = (
            f"This has {len(text)} characters. A message needs to be under {MAX_MESSAGE}: "
            "one idea per message."
        )
        return [Finding("too_long", Severity.PROBLEM, message, text)]
    return []


def _long_sentences(text: str, *, easy: bool, kind: Kind) -> list[Finding]:
    if kind not in ("message", "voice"):
        return []
    strict = easy or kind == "voice"  # a voice note is heard once: easy-read sentences
    limit = EASY_SENTENCE_WORDS if strict else PLAIN_SENTENCE_WORDS
    who = "Easy-read sentences need" if easy else "Sentences read aloud need"
    who = who if strict else "Sentences read best with"
    found = []
    for sentence in sentences(text):
        count = sentence_words(sentence)
        if count > limit:
            severity = Severity.PROBLEM if strict else Severity.ADVICE
            message = (
                f"This sentence has {count} words. {who} {limit} or fewer: '{_start(sentence)}'"
            )
            found.append(Finding("long_sentence", severity, message, sentence))
    return found


def _reading_ease(text: str, *, easy: bool, kind: Kind) -> list[Finding]:
    if kind not in ("message", "voice"):
        return []
    summary = score(text, easy=easy)
    if summary.meets_target or summary.reading_ease is None:
        return []
    which = "Easy-read words need" if easy else "Words need"
    message = (
        f"Reading ease is {summary.reading_ease:.0f} ({summary.grade}). "
        f"{which} {summary.target} or more. Shorter sentences and shorter words help."
    )
    if summary.long_words:
        message += " Long words: " + ", ".join(f"'{w}'" for w in summary.long_words[:3]) + "."
    if not summary.measured:
        message += f" With only {summary.words} words the score moves a lot, so it is advice here."
        return [Finding("reading_ease", Severity.ADVICE, message, text)]
    return [Finding("reading_ease", Severity.PROBLEM, message, text)]


def _idioms(text: str, rules: Rules) -> list[Finding]:
    plain = text.replace("\u2019", "'").replace("\u2018", "'")
    found = []
    for idiom in rules.idioms:
        match = re.search(rf"(?<!\w){re.escape(idiom)}(?!\w)", plain, re.IGNORECASE)
        if match:
            message = f"'{match.group(0)}' is an idiom. Say what you mean in plain words."
            found.append(Finding("idiom", Severity.PROBLEM, message, match.group(0)))
    return found


def _capitals(text: str, rules: Rules) -> list[Finding]:
    return [
        Finding(
            "capitals",
            Severity.PROBLEM,
            f"'{word}' is in capitals, which reads as shouting. Write it in small letters.",
            word,
        )
        for word in _CAPITALS.findall(without_variables(text))
        if word not in rules.acronyms
    ]


def _emphasis(text: str) -> list[Finding]:
    found = [
        Finding(
            "emphasis",
            Severity.PROBLEM,
            f"'{match.group(0)}' marks words for emphasis. Use plain words with no marks.",
            match.group(0),
        )
        for match in _EMPHASIS.finditer(without_variables(text))
    ]
    if "!!" in text:
        message = "Several exclamation marks can feel loud. One full stop is calmer."
        found.append(Finding("exclamation", Severity.ADVICE, message, "!!"))
    return found


def _button(label: str) -> list[Finding]:
    if label.strip().isdigit():  # 0 to 10 on a scale: numbers read better than words
        return []
    first, _, words = label.partition(" ")
    if not first or any(character.isalnum() for character in first):
        message = "A button label starts with an emoji, then a space, then the words."
        return [Finding("button_emoji", Severity.PROBLEM, message, first or label)]
    if not re.search(r"[^\W\d_]", words):
        message = "A button label needs words after its emoji, so everyone can read it."
        return [Finding("button_words", Severity.PROBLEM, message, label)]
    return []


def _voice(script: str) -> list[Finding]:
    found = []
    if "{time}" in script:
        message = "A voice reads {time} as numbers. Use {spoken_time}, which says it in words."
        found.append(Finding("voice_time", Severity.PROBLEM, message, "{time}"))
    for match in _CLOCK.finditer(script):
        message = f"A voice reads '{match.group(0)}' as numbers. Write the time in words."
        found.append(Finding("voice_time", Severity.PROBLEM, message, match.group(0)))
    return found


def check(
    text: str,
    *,
    easy: bool,
    kind: Kind = "message",
    language: str = ENGLISH,
    rules: Rules | None = None,
) -> list[Finding]:
    """Every finding for one piece of content, problems first.

    `kind`: "message" (words a person reads), "voice" (a script read aloud), "button" (a
    label) or "line" (a card's line, a command's description: short, not held to sentence
    targets). Reading ease and idioms are checked in English only."""
    rules = rules or default_rules()
    english = language == ENGLISH
    found = [
        *_length(text, kind),
        *_long_sentences(text, easy=easy, kind=kind),
        *(_reading_ease(text, easy=easy, kind=kind) if english else ()),
        *(_idioms(text, rules) if english else ()),
        *_capitals(text, rules),
        *_emphasis(text),
        *(_button(text) if kind == "button" else ()),
        *(_voice(text) if kind == "voice" else ()),
    ]
    return sorted(found, key=lambda finding: not finding.is_problem)
