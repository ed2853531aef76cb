"""Picture cards, drawn with Pillow: the same message as the words, for a person who reads
pictures more easily than sentences.

Four kinds share one layout: a coloured band with an icon and the title, then the words
that matter, largest first, left-aligned on white, with nothing else on the card.
- appointment: the date, the time in very large type, the place, who they will see;
- nudge: one big line and up to four small ones;
- check-in: the question, and the answers the buttons give, each in a box;
- progress: how many steps are done, as a row of filled and empty dots.

Every text colour is at least 4.5:1 against its background (tests/unit/test_cards.py
measures it). Cards are 1080 px wide, as tall as their words need (810 to 1350 px); words
that do not fit are wrapped at spaces and then shrunk, never cut. Drawing takes tens of
milliseconds: it runs in a worker thread, and each card is kept on disk by its words, so
the same card is never drawn twice.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.media.cache import DiskCache
from bot.media.icons import Colour, Pen, draw_icon
from bot.media.layout import DEFAULT_FONT_DIR, Block, Fitted, FontMissing, fit, line_height
from bot.rendering.outgoing import Card

if TYPE_CHECKING:  # Pillow itself is loaded by the first card drawn
    from PIL import Image, ImageDraw

STYLE = "2"  # change when the look changes: cached cards are then drawn again
WIDTH, MIN_HEIGHT, MAX_HEIGHT = 1080, 810, 1350
MARGIN = 72
ROOM = WIDTH - 2 * MARGIN
ICON = 132
BAND_PAD = 44
MAX_DOTS = 12  # more steps than this show as a bar

WHITE: Colour = (255, 255, 255)
INK: Colour = (17, 17, 17)  # 18.9:1 on white
SOFT: Colour = (51, 51, 51)  # 12.6:1 on white, for the small lines
EMPTY: Colour = (107, 107, 107)  # 5.3:1 on white: the outline of a step not yet done
BANDS: dict[str, Colour] = {  # white on each is 7:1 or more
    "appointment": (11, 61, 107),
    "nudge": (24, 84, 52),
    "checkin": (84, 38, 124),
    "progress": (112, 56, 0),
}


class CardError(Exception):
    """A card could not be drawn (no font, say); the message goes as words instead."""


@dataclass(frozen=True)
class _Row:
    height: int
    gap: int  # space after it
    paint: Callable[[ImageDraw.ImageDraw, int], None]


def _text_row(fitted: Fitted, colour: Colour, gap: int, x: int = MARGIN) -> _Row:
    step = line_height(fitted.face)

    def paint(draw: ImageDraw.ImageDraw, y: int) -> None:
        for i, line in enumerate(fitted.lines):
            draw.text((x, y + i * step), line, font=fitted.face, fill=colour)

    return _Row(fitted.height, gap, paint)


class CardDrawer:
    def __init__(self, fonts: Path = DEFAULT_FONT_DIR, cache: DiskCache | None = None) -> None:
        self.fonts = fonts
        self._cache = cache

    def png(self, card: Card) -> bytes:
        """The card as PNG bytes, from the cache when it was drawn before. Blocks."""
        parts = (STYLE, card.fingerprint())
        if self._cache is not None and (cached := self._cache.get("cards", parts, ".png")):
            return cached
        buffer = io.BytesIO()
        self.draw(card).save(buffer, format="PNG", optimize=True)
        data = buffer.getvalue()
        if self._cache is not None:
            self._cache.put("cards", parts, ".png", data)
        return data

    def draw(self, card: Card) -> Image.Image:
        try:
            return self._draw(card)
        except (FontMissing, OSError) as error:  # a missing or broken font file
            raise CardError(str(error)) from None

    def _draw(self, card: Card) -> Image.Image:
        from PIL import Image, ImageDraw

        band_colour = BANDS.get(card.kind, BANDS["nudge"])
        scale = 1.0
        while True:
            title = fit(Block(card.title, 64, bold=True), ROOM - ICON - 36, self.fonts, scale)
            band = max(ICON, title.height) + 2 * BAND_PAD
            rows = self._rows(card, scale, band_colour)
            body = sum(row.height + row.gap for row in rows)
            height = band + MARGIN + body + MARGIN
            if height <= MAX_HEIGHT or scale < 0.45:
                break
            scale *= 0.9
        image = Image.new("RGB", (WIDTH, max(MIN_HEIGHT, min(height, MAX_HEIGHT))), WHITE)
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, WIDTH, band), fill=band_colour)
        pen = Pen(draw, MARGIN, (band - ICON) / 2, ICON, WHITE, band_colour)
        draw_icon(pen, card.icon)
        _text_row(title, WHITE, 0, MARGIN + ICON + 36).paint(draw, (band - title.height) // 2)
        y = band + MARGIN
        for row in rows:
            row.paint(draw, y)
            y += row.height + row.gap
        return image

    def _fit(self, text: str, size: int, scale: float, *, bold: bool = False) -> Fitted:
        return fit(Block(text, size, bold), ROOM, self.fonts, scale)

    def _rows(self, card: Card, scale: float, band: Colour) -> list[_Row]:
        def gap(points: int) -> int:
            return int(points * scale)

        small = [_text_row(self._fit(line, 56, scale), SOFT, gap(18)) for line in card.small]
        if card.kind == "appointment":
            top = [_text_row(self._fit(card.top, 60, scale, bold=True), INK, gap(4))]
            big = _text_row(self._fit(card.big, 240, scale, bold=True), INK, gap(24))
            return [*(top if card.top else []), big, *small]
        big = _text_row(self._fit(card.big, 92, scale, bold=True), INK, gap(36))
        if card.kind == "checkin":
            return [big, *small, *(self._choice(c, scale) for c in card.choices)]
        if card.kind == "progress" and card.total:
            return [big, self._progress(card.done or 0, card.total, scale, band), *small]
        return [big, *small]

    def _choice(self, label: str, scale: float) -> _Row:
        pad = int(26 * scale)
        fitted = fit(Block(label, 56, bold=True), ROOM - 2 * pad, self.fonts, scale)
        inner = _text_row(fitted, INK, 0, MARGIN + pad)

        def paint(draw: ImageDraw.ImageDraw, y: int) -> None:
            box = (MARGIN, y, WIDTH - MARGIN, y + fitted.height + 2 * pad)
            draw.rounded_rectangle(box, radius=int(28 * scale), outline=INK, width=5)
            inner.paint(draw, y + pad)

        return _Row(fitted.height + 2 * pad, int(20 * scale), paint)

    def _progress(self, done: int, total: int, scale: float, colour: Colour) -> _Row:
        done = max(0, min(done, total))
        if total > MAX_DOTS:  # a bar: the share done, filled
            height = int(64 * scale)

            def bar(draw: ImageDraw.ImageDraw, y: int) -> None:
                draw.rounded_rectangle((MARGIN, y, WIDTH - MARGIN, y + height), 32, EMPTY, width=0)
                end = MARGIN + int(ROOM * done / total)
                draw.rounded_rectangle(
                    (MARGIN, y, max(end, MARGIN + height), y + height), 32, colour
                )

            return _Row(height, int(40 * scale), bar)
        step = min(int(120 * scale), ROOM // total)
        size = int(step * 0.8)

        def dots(draw: ImageDraw.ImageDraw, y: int) -> None:
            for i in range(total):
                x = MARGIN + i * step
                box = (x, y, x + size, y + size)
                if i < done:
                    draw.ellipse(box, fill=colour)
                else:
                    draw.ellipse(box, outline=EMPTY, width=6)

        return _Row(size, int(40 * scale), dots)
