"""Fitting words into a card: wrapped at spaces, and shrunk when a word or the whole card
is too big, never cut in the middle of a word.

The font ships with the project: Atkinson Hyperlegible Next in content/fonts (SIL Open
Font Licence; see its README), drawn for readers with low vision: open letter shapes, and
1, l and I (0 and O) told apart. MEDIA_FONT_DIR may name another folder with the same two
files, or with DejaVu Sans (Debian's fonts-dejavu-core), the cards' font before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow itself is loaded when a font is, by the first card drawn
    from PIL.ImageFont import FreeTypeFont as Font

DEFAULT_FONT_DIR = Path(__file__).resolve().parents[2] / "content" / "fonts"
# (regular, bold) file names, in the order they are looked for in a font folder.
FAMILIES = (
    ("AtkinsonHyperlegibleNext-Regular.ttf", "AtkinsonHyperlegibleNext-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),  # Debian's fonts-dejavu-core
)
FLOOR = 18  # the smallest size any words are shrunk to
LEADING = 0.18  # space between lines, as a share of the font size


class FontMissing(Exception):
    """The card font is not installed."""


@lru_cache(maxsize=16)
def family(directory: Path) -> tuple[Path, Path]:
    """The regular and bold files of the first family the folder holds both of."""
    for regular, bold in FAMILIES:
        # Checked first: given a missing path, Pillow quietly searches the system's fonts.
        if (directory / regular).is_file() and (directory / bold).is_file():
            return directory / regular, directory / bold
    names = " or ".join(" and ".join(pair) for pair in FAMILIES)
    raise FontMissing(f"{directory} has no card font: it needs {names}")


@lru_cache(maxsize=256)
def font(directory: Path, bold: bool, size: int) -> Font:
    from PIL import ImageFont

    regular, heavy = family(directory)
    return ImageFont.truetype(str(heavy if bold else regular), size)


def width(text: str, face: Font) -> float:
    return face.getlength(text)


def line_height(face: Font) -> int:
    ascent, descent = face.getmetrics()
    return int(ascent + descent + face.size * LEADING)


NO_BREAK = "\u00a0"
_NUMBER = re.compile(r"\d[\d:.]*")


def _words(text: str) -> list[str]:
    """Words to wrap, with a number held to the word after it: "116 123", "45 Camberwell
    Road" and "25 November" never break after the number."""
    words: list[str] = []
    for word in text.split():
        if words and _NUMBER.fullmatch(words[-1].rsplit(NO_BREAK, 1)[-1]):
            words[-1] += NO_BREAK + word
        else:
            words.append(word)
    return words


def _phrases(text: str) -> list[str]:
    """Parts of a line between commas, each keeping its comma."""
    return [part for part in re.split(r"(?<=,)\s+", text.strip()) if part]


def wrap(text: str, face: Font, room: float) -> list[str]:
    """Lines of at most `room` pixels: whole phrases (between commas) where they fit, so
    an address breaks after its comma; words otherwise. A word wider than `room` stays
    whole on its own line (callers shrink the font first; see `fit`)."""
    lines: list[str] = []
    current = ""
    for phrase in _phrases(text):
        candidate = f"{current} {phrase}" if current else phrase
        if width(candidate, face) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        for word in _words(phrase):
            candidate = f"{current} {word}" if current else word
            if current and width(candidate, face) > room:
                lines.append(current)
                current = word
            else:
                current = candidate
    if current:
        lines.append(current)
    return [line.replace(NO_BREAK, " ") for line in lines]


def _split_word(word: str, face: Font, room: float) -> list[str]:
    """Only for a word too long for the card even at FLOOR size (a 60-letter string, say):
    broken with hyphens, which is still every letter, in order."""
    pieces: list[str] = []
    current = ""
    for letter in word:
        if current and width(current + letter + "-", face) > room:
            pieces.append(current + "-")
            current = letter
        else:
            current += letter
    return [*pieces, current]


@dataclass(frozen=True)
class Block:
    """Some words at a preferred size; `fit` decides the size and the lines."""

    text: str
    size: int
    bold: bool = False


@dataclass(frozen=True)
class Fitted:
    face: Font
    lines: tuple[str, ...]

    @property
    def height(self) -> int:
        return line_height(self.face) * len(self.lines)


def fit(block: Block, room: float, fonts: Path, scale: float = 1.0) -> Fitted:
    """The block at `scale` of its size, shrunk further until its longest word fits."""
    size = max(FLOOR, int(block.size * scale))
    units = [unit.replace(NO_BREAK, " ") for unit in _words(block.text)]
    while True:
        face = font(fonts, block.bold, size)
        fits = all(width(unit, face) <= room for unit in units)
        if fits or size <= FLOOR:
            break
        size = max(FLOOR, int(size * 0.92))
    if fits:
        return Fitted(face, tuple(wrap(block.text, face, room)))
    words = block.text.split()
    pieces = [
        piece
        for word in words
        for piece in (_split_word(word, face, room) if width(word, face) > room else [word])
    ]
    return Fitted(face, tuple(_join(pieces, face, room)))


def _join(pieces: list[str], face: Font, room: float) -> list[str]:
    """Put short pieces back on shared lines where they fit."""
    lines: list[str] = []
    for piece in pieces:
        if lines and not lines[-1].endswith("-") and width(f"{lines[-1]} {piece}", face) <= room:
            lines[-1] = f"{lines[-1]} {piece}"
        else:
            lines.append(piece)
    return lines
