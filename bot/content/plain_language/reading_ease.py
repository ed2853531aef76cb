"""How easy words are to read: Rudolf Flesch's reading ease, with what the content editor
shows beside it as the words are typed (the grade in words, the longest sentence, the long
words).

The formula is Flesch's ("A new readability yardstick", Journal of Applied Psychology
32(3), 1948, pp. 221-233):

    reading ease = 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)

Higher is easier: 80 to 89 is "easy", 70 to 79 "fairly easy", 60 to 69 "standard".
{variables} are left out (a name or a place is not the writer's choice), and so are emoji;
bot/content/plain_language/syllables.py counts the syllables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.content.plain_language.syllables import syllables

EASY_READING_EASE = 80  # DESIGN.md section 5: 80 or more for easy-read
PLAIN_READING_EASE = 70  # and 70 or more for every other item
# Flesch measured passages of 100 words. On a few words one long word moves the score by
# 20 points ("OK. Nothing was sent." scores 78), so a shorter text is scored, and shown,
# but not held to the target.
MIN_SCORED_WORDS = 10
LONG_WORD_SYLLABLES = 3
# Flesch's own table (1948): the grade of a score, in words.
GRADES = (
    (90, "very easy"),
    (80, "easy"),
    (70, "fairly easy"),
    (60, "standard"),
    (50, "fairly difficult"),
    (30, "difficult"),
)
LOWEST_GRADE = "very confusing"

_VARIABLE = re.compile(r"\{[^{}]*\}")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")
_WORD = re.compile(r"[^\W_]+(?:['\u2019:.\-][^\W_]+)*")


def without_variables(text: str) -> str:
    return _VARIABLE.sub(" ", text)


def sentences(text: str) -> list[str]:
    """The sentences of a text: split after . ? or ! and at line breaks."""
    return [part.strip() for part in _SENTENCE_END.split(text.strip()) if part.strip()]


def sentence_words(sentence: str) -> int:
    """Words in a sentence as a reader meets them: a {variable} is a word ("Sam"), "/next"
    and "10:00" are words, an emoji is not."""
    return len([word for word in sentence.split() if re.search(r"\w", word)])


def own_words(text: str) -> list[str]:
    """The writer's own words: not the {variables}, not emoji or punctuation."""
    return _WORD.findall(without_variables(text))


def grade(reading_ease: float) -> str:
    for floor, name in GRADES:
        if reading_ease >= floor:
            return name
    return LOWEST_GRADE


@dataclass(frozen=True)
class Score:
    """What the editor shows beside the words."""

    reading_ease: float | None  # None when there are no words of the writer's own
    target: int
    grade: str  # Flesch's grade in words: "easy", "standard", ...; "" with no score
    words: int
    sentences: int
    longest_sentence: str
    longest_sentence_words: int
    long_words: tuple[str, ...]  # words of 3 or more syllables, longest first

    @property
    def measured(self) -> bool:
        """Enough words for the score to mean something."""
        return self.reading_ease is not None and self.words >= MIN_SCORED_WORDS

    @property
    def meets_target(self) -> bool:
        return self.reading_ease is None or self.reading_ease >= self.target


def score(text: str, *, easy: bool) -> Score:
    """The reading ease of `text` against its target (80 for easy-read, else 70)."""
    parts = sentences(text)
    scored = [words for words in (own_words(part) for part in parts) if words]
    words = [word for sentence in scored for word in sentence]
    longest = max(parts, key=sentence_words, default="")
    long_words = {w for w in words if not w.isupper() and syllables(w) >= LONG_WORD_SYLLABLES}
    ease: float | None = None
    if words:
        total = sum(syllables(word) for word in words)
        ease = round(206.835 - 1.015 * len(words) / len(scored) - 84.6 * total / len(words), 1)
    return Score(
        reading_ease=ease,
        target=EASY_READING_EASE if easy else PLAIN_READING_EASE,
        grade="" if ease is None else grade(ease),
        words=len(words),
        sentences=len(scored),
        longest_sentence=longest,
        longest_sentence_words=sentence_words(longest),
        long_words=tuple(sorted(long_words, key=lambda w: (-len(w), w.lower()))),
    )
