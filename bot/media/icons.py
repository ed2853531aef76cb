"""Icons for picture cards, drawn with Pillow's shapes: no image files, no emoji font.

Each icon is line art on a 100 x 100 grid, drawn in one colour, so it stays sharp at any
size and has the same contrast as the title beside it. The names are bot.content.library.ICONS;
an appointment's kind (probation, police, gp, jobcentre, court, coaching, other) is the
name of its icon.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageDraw

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Pen:
    """Grid units to pixels inside one box, and the colour and stroke to draw with."""

    draw: ImageDraw.ImageDraw
    x: float
    y: float
    size: float
    colour: Colour
    background: Colour

    @property
    def stroke(self) -> int:
        return max(2, round(self.size * 0.075))

    def p(self, gx: float, gy: float) -> tuple[float, float]:
        return (self.x + gx * self.size / 100, self.y + gy * self.size / 100)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (*self.p(x0, y0), *self.p(x1, y1))

    def line(self, *points: tuple[float, float]) -> None:
        self.draw.line([self.p(*pt) for pt in points], fill=self.colour, width=self.stroke)

    def rect(
        self, x0: float, y0: float, x1: float, y1: float, *, fill: bool = False, over: bool = False
    ) -> None:
        """A rounded box; `over` blanks what is under it first (one thing in front of another)."""
        radius = round(self.size * 0.06)
        self.draw.rounded_rectangle(
            self.box(x0, y0, x1, y1),
            radius=radius,
            outline=self.colour,
            fill=self.colour if fill else self.background if over else None,
            width=self.stroke,
        )

    def circle(self, cx: float, cy: float, r: float, *, fill: bool = False) -> None:
        self.draw.ellipse(
            self.box(cx - r, cy - r, cx + r, cy + r),
            outline=self.colour,
            fill=self.colour if fill else None,
            width=self.stroke,
        )

    def blank(self, cx: float, cy: float, r: float) -> None:
        self.draw.ellipse(self.box(cx - r, cy - r, cx + r, cy + r), fill=self.background)

    def arc(self, cx: float, cy: float, r: float, start: float, end: float) -> None:
        self.draw.arc(
            self.box(cx - r, cy - r, cx + r, cy + r),
            start,
            end,
            fill=self.colour,
            width=self.stroke,
        )

    def polygon(self, *points: tuple[float, float], fill: bool = False) -> None:
        self.draw.polygon(
            [self.p(*pt) for pt in points],
            outline=self.colour,
            fill=self.colour if fill else None,
            width=self.stroke,
        )


def _building(pen: Pen) -> None:  # probation: an office with columns
    pen.polygon((10, 34), (50, 10), (90, 34), fill=True)
    for x in (24, 42, 58, 76):
        pen.line((x, 42), (x, 80))
    pen.line((10, 88), (90, 88))


def _shield(pen: Pen) -> None:  # police
    pen.polygon((50, 6), (88, 20), (84, 58), (50, 94), (16, 58), (12, 20))
    pen.line((34, 50), (46, 62), (68, 38))


def _cross(pen: Pen) -> None:  # GP: a health cross
    pen.polygon(
        (38, 10), (62, 10), (62, 38), (90, 38), (90, 62), (62, 62), (62, 90), (38, 90),
        (38, 62), (10, 62), (10, 38), (38, 38), fill=True,
    )  # fmt: skip


def _briefcase(pen: Pen) -> None:  # job centre
    pen.rect(8, 30, 92, 86)
    pen.rect(36, 14, 64, 30)
    pen.line((8, 54), (92, 54))


def _scales(pen: Pen) -> None:  # court
    pen.line((50, 10), (50, 88))
    pen.line((30, 88), (70, 88))
    pen.line((14, 24), (86, 24))
    for x in (24, 76):
        pen.line((x, 24), (x - 14, 58))
        pen.line((x, 24), (x + 14, 58))
        pen.arc(x, 58, 14, 0, 180)


def _chat(pen: Pen) -> None:  # coaching: two people talking
    pen.rect(6, 10, 66, 52)
    pen.polygon((18, 52), (30, 52), (16, 66), fill=True)
    pen.rect(36, 44, 94, 82, over=True)
    pen.polygon((80, 82), (70, 82), (84, 94), fill=True)


def _calendar(pen: Pen) -> None:  # other appointments, and calendars
    pen.rect(8, 16, 92, 90)
    pen.line((8, 36), (92, 36))
    pen.line((30, 6), (30, 24))
    pen.line((70, 6), (70, 24))
    for gx in (28, 50, 72):
        for gy in (54, 74):
            pen.circle(gx, gy, 4, fill=True)


def _smile(pen: Pen) -> None:
    pen.circle(50, 50, 42)
    pen.circle(35, 40, 5, fill=True)
    pen.circle(65, 40, 5, fill=True)
    pen.arc(50, 52, 24, 20, 160)


def _lock(pen: Pen) -> None:
    pen.arc(50, 38, 22, 180, 360)
    pen.line((28, 38), (28, 46))
    pen.line((72, 38), (72, 46))
    pen.rect(14, 46, 86, 92, fill=True)
    pen.blank(50, 64, 7)
    pen.draw.rectangle(pen.box(47, 66, 53, 80), fill=pen.background)


def _question(pen: Pen) -> None:
    pen.circle(50, 50, 44)
    pen.arc(50, 36, 14, 180, 400)
    pen.line((56, 48), (50, 54), (50, 64))
    pen.circle(50, 77, 4, fill=True)


def _check(pen: Pen) -> None:
    pen.circle(50, 50, 44)
    pen.line((28, 52), (44, 68), (74, 36))


def _clock(pen: Pen) -> None:
    pen.circle(50, 50, 44)
    pen.line((50, 50), (50, 22))
    pen.line((50, 50), (70, 62))


def _bell(pen: Pen) -> None:
    pen.polygon((50, 10), (72, 24), (76, 66), (88, 78), (12, 78), (24, 66), (28, 24))
    pen.circle(50, 88, 7, fill=True)


def _moon(pen: Pen) -> None:
    pen.circle(46, 52, 40, fill=True)
    pen.draw.ellipse(pen.box(46, 2, 100, 64), fill=pen.background)


def _pin(pen: Pen) -> None:  # a place on a map
    pen.polygon((22, 44), (50, 94), (78, 44), fill=True)
    pen.circle(50, 36, 28, fill=True)
    pen.blank(50, 36, 11)


def _heart(pen: Pen) -> None:
    pen.circle(32, 36, 22, fill=True)
    pen.circle(68, 36, 22, fill=True)
    pen.polygon((12, 44), (88, 44), (50, 88), fill=True)


def _phone(pen: Pen) -> None:
    pen.rect(26, 6, 74, 94)
    pen.line((26, 20), (74, 20))
    pen.line((26, 78), (74, 78))
    pen.circle(50, 86, 3, fill=True)


def _pause(pen: Pen) -> None:
    pen.rect(22, 14, 42, 86, fill=True)
    pen.rect(58, 14, 78, 86, fill=True)


def _play(pen: Pen) -> None:
    pen.polygon((24, 10), (86, 50), (24, 90), fill=True)


def _star(pen: Pen) -> None:
    points = []
    for i in range(10):
        radius = 46 if i % 2 == 0 else 19
        angle = math.radians(-90 + i * 36)
        points.append((50 + radius * math.cos(angle), 52 + radius * math.sin(angle)))
    pen.polygon(*points, fill=True)


def _picture(pen: Pen) -> None:
    pen.rect(6, 14, 94, 86)
    pen.polygon((14, 78), (40, 42), (58, 66), (70, 54), (86, 78), fill=True)
    pen.circle(70, 32, 8, fill=True)


def _speaker(pen: Pen) -> None:
    pen.polygon((8, 36), (28, 36), (52, 14), (52, 86), (28, 64), (8, 64), fill=True)
    pen.arc(52, 50, 18, -50, 50)
    pen.arc(52, 50, 34, -50, 50)


ICONS: dict[str, Callable[[Pen], None]] = {
    "probation": _building,
    "police": _shield,
    "gp": _cross,
    "jobcentre": _briefcase,
    "court": _scales,
    "coaching": _chat,
    "other": _calendar,
    "calendar": _calendar,
    "smile": _smile,
    "lock": _lock,
    "question": _question,
    "check": _check,
    "clock": _clock,
    "bell": _bell,
    "moon": _moon,
    "pin": _pin,
    "heart": _heart,
    "phone": _phone,
    "pause": _pause,
    "play": _play,
    "star": _star,
    "picture": _picture,
    "speaker": _speaker,
}


def draw_icon(pen: Pen, name: str) -> None:
    """Draw the icon `name` (an unknown name draws the calendar: "an appointment")."""
    ICONS.get(name, _calendar)(pen)
