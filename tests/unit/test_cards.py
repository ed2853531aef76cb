"""Picture cards: each kind matches its golden image, every text colour has at least 4.5:1
contrast, words are wrapped or shrunk and never cut, and a card is drawn only once.

The golden images are tests/golden/*.png. After a deliberate change to the look, draw them
again with `WAYMARK_UPDATE_GOLDEN=1 uv run pytest tests/unit/test_cards.py`, look at them,
and copy one of each kind to docs/cards/.
"""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from bot.content.library import ICONS, load_content
from bot.flows.reminder_replies import appointment_variables, reminder_buttons
from bot.flows.types import AppointmentView, Button, Say
from bot.media import cards
from bot.media.cache import DiskCache
from bot.media.cards import CardDrawer, CardError
from bot.media.icons import ICONS as DRAWN_ICONS
from bot.media.layout import DEFAULT_FONT_DIR, FAMILIES, FLOOR, Block, family, fit, font, width
from bot.rendering.outgoing import Card
from bot.rendering.renderer import Profile, Renderer

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("WAYMARK_UPDATE_GOLDEN") == "1"
TOLERANCE = 0.003  # the share of pixels that may differ (font hinting, Pillow versions)
CHANNEL_SLACK = 48  # how far a pixel may drift before it counts as different

RENDERER = Renderer(load_content())
PICTURES = Profile("pictures")
APPOINTMENT = AppointmentView(
    id=7,
    revision=1,
    starts_at=datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
    place="Camberwell Probation Office, 45 Camberwell Road",
    with_whom="Jo Green",
    kind="probation",
)
SAYS = {
    "appointment": Say(
        "reminder_evening",
        {"name": "Sam", **appointment_variables(APPOINTMENT)},
        reminder_buttons(7, 1),
    ),
    "nudge": Say("signposting"),
    "checkin": Say("ask_reminders", {}, ((Button("recommended", "a"),), (Button("fewer", "b"),))),
    "progress": Say("onboarding_done", {"name": "Sam"}),
}


def card_of(kind: str) -> Card:
    card = RENDERER.render(SAYS[kind], PICTURES).card
    assert card is not None
    assert card.kind == kind
    return card


def differing_share(one: Image.Image, other: Image.Image) -> float:
    difference = ImageChops.difference(one.convert("RGB"), other.convert("RGB"))
    worst = difference.point(lambda value: 255 if value > CHANNEL_SLACK else 0).convert("L")
    changed = sum(worst.histogram()[1:])
    return changed / (one.width * one.height)


@pytest.mark.parametrize("kind", sorted(SAYS))
def test_each_kind_of_card_matches_its_golden_image(kind: str) -> None:
    drawn = CardDrawer().draw(card_of(kind))
    golden = GOLDEN / f"{kind}.png"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        drawn.save(golden, optimize=True)
    expected = Image.open(golden)

    assert drawn.size == expected.size
    assert differing_share(drawn, expected) <= TOLERANCE


def test_every_icon_matches_its_golden_image() -> None:
    drawer = CardDrawer()
    sheet = Image.new("RGB", (540 * 2, 220 * ((len(DRAWN_ICONS) + 1) // 2)))
    for i, name in enumerate(sorted(DRAWN_ICONS)):
        card = Card(kind="nudge", icon=name, title=name, big="-")
        band = drawer.draw(card).crop((0, 0, 540, 220))
        sheet.paste(band, ((i % 2) * 540, 220 * (i // 2)))
    golden = GOLDEN / "icons.png"
    if UPDATE:
        sheet.save(golden, optimize=True)

    assert differing_share(sheet, Image.open(golden)) <= TOLERANCE


def test_every_icon_content_may_name_is_drawn() -> None:
    assert DRAWN_ICONS.keys() >= ICONS


def luminance(colour: tuple[int, int, int]) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_text_colour_has_at_least_4_5_to_1_contrast() -> None:
    pairs = [(cards.INK, cards.WHITE), (cards.SOFT, cards.WHITE), (cards.EMPTY, cards.WHITE)]
    pairs += [(cards.WHITE, band) for band in cards.BANDS.values()]

    ratios = [contrast(text, background) for text, background in pairs]

    assert min(ratios) >= 4.5, ratios
    assert contrast(cards.INK, cards.WHITE) >= 15  # the words that matter: far above


def colours(image: Image.Image) -> list[tuple[int, tuple[int, int, int]]]:
    """(count, colour), most common first."""
    found = image.getcolors(maxcolors=image.width * image.height) or []
    rgb = [(count, (c[0], c[1], c[2])) for count, c in found if isinstance(c, tuple)]
    return sorted(rgb, reverse=True)


@pytest.mark.parametrize("kind", sorted(SAYS))
def test_a_drawn_card_uses_only_its_high_contrast_colours(kind: str) -> None:
    # Measured on the picture itself: the band is its colour and white, the body white
    # and near-black; the darkest ink on white and the band against its white title
    # both pass 4.5:1 (anti-aliased edges lie between them).
    image = CardDrawer().draw(card_of(kind))
    band = colours(image.crop((0, 0, image.width, 150)))
    body = colours(image.crop((0, 300, image.width, image.height)))

    assert {colour for _, colour in band[:2]} == {cards.BANDS[kind], cards.WHITE}
    assert body[0][1] == cards.WHITE
    darkest = min((colour for _, colour in body), key=luminance)
    assert contrast(darkest, cards.WHITE) >= 15
    assert contrast(band[0][1], cards.WHITE) >= 4.5


@pytest.mark.parametrize("kind", sorted(SAYS))
def test_cards_fit_a_small_phone(kind: str) -> None:
    image = CardDrawer().draw(card_of(kind))

    assert image.width == 1080
    assert cards.MIN_HEIGHT <= image.height <= cards.MAX_HEIGHT


def test_long_words_are_wrapped_whole_at_commas_and_numbers_stay_with_their_word() -> None:
    place = "Camberwell Probation Office, 45 Camberwell Road"

    fitted = fit(Block(place, 56), cards.ROOM, DEFAULT_FONT_DIR)

    assert fitted.lines == ("Camberwell Probation Office,", "45 Camberwell Road")
    assert fitted.face.size == 56
    phone = fit(Block("Samaritans 116 123", 92, bold=True), 600, DEFAULT_FONT_DIR)
    assert phone.lines == ("Samaritans", "116 123")


def test_too_much_text_is_shrunk_not_cut() -> None:
    words = " ".join(["appointment"] * 60)
    card = Card(kind="nudge", icon="bell", title="A long one", big=words, small=(words,) * 4)

    image = CardDrawer().draw(card)

    assert image.height == cards.MAX_HEIGHT
    fitted = fit(Block(words, 92, bold=True), cards.ROOM, DEFAULT_FONT_DIR, 0.5)
    assert " ".join(fitted.lines).split() == words.split()  # every word, whole, in order
    assert all(width(line, fitted.face) <= cards.ROOM for line in fitted.lines)


def test_a_word_wider_than_the_card_shrinks_the_font_first() -> None:
    word = "Wolverhamptonshirecountycouncilbuildings"

    fitted = fit(Block(word, 240, bold=True), cards.ROOM, DEFAULT_FONT_DIR)

    assert fitted.lines == (word,)
    assert fitted.face.size < 240
    assert width(word, fitted.face) <= cards.ROOM


def test_only_a_word_too_long_even_at_the_smallest_size_is_broken_with_hyphens() -> None:
    word = "x" * 200

    fitted = fit(Block(word, 56), cards.ROOM, DEFAULT_FONT_DIR)

    assert fitted.face.size == FLOOR
    assert "".join(line.removesuffix("-") for line in fitted.lines) == word
    assert all(width(line, fitted.face) <= cards.ROOM for line in fitted.lines)


def test_a_card_is_drawn_once_and_then_read_from_the_cache(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    drawer = CardDrawer(cache=cache)
    card = card_of("nudge")

    first = drawer.png(card)
    stored = list(tmp_path.rglob("*.png"))
    second = CardDrawer(cache=cache).png(card)  # another process, the same disk

    assert first == second
    assert len(stored) == 1
    assert Image.open(io.BytesIO(first)).format == "PNG"


def test_a_missing_font_is_a_card_error(tmp_path: Path) -> None:
    with pytest.raises(CardError, match="has no card font: it needs AtkinsonHyperlegibleNext"):
        CardDrawer(fonts=tmp_path).png(card_of("nudge"))


def test_the_font_ships_with_the_project_and_its_licence_beside_it() -> None:
    regular, bold = family(DEFAULT_FONT_DIR)

    assert Path(cards.__file__).resolve().parents[2] / "content" / "fonts" == DEFAULT_FONT_DIR
    assert (regular.name, bold.name) == FAMILIES[0]
    assert "SIL OPEN FONT LICENSE Version 1.1" in (DEFAULT_FONT_DIR / "OFL.txt").read_text()
    assert font(DEFAULT_FONT_DIR, True, 40).getname() == ("Atkinson Hyperlegible Next", "Bold")


def test_a_font_folder_with_debians_dejavu_names_is_used(tmp_path: Path) -> None:
    """MEDIA_FONT_DIR may name Debian's fonts-dejavu-core folder: its file names are
    looked for too (copies of our font stand in, so no Debian package is needed)."""
    regular, bold = FAMILIES[1]
    shutil.copy(DEFAULT_FONT_DIR / FAMILIES[0][0], tmp_path / regular)
    shutil.copy(DEFAULT_FONT_DIR / FAMILIES[0][1], tmp_path / bold)

    png = CardDrawer(fonts=tmp_path).png(card_of("nudge"))

    assert family(tmp_path) == (tmp_path / regular, tmp_path / bold)
    assert Image.open(io.BytesIO(png)).format == "PNG"


def test_the_golden_check_sees_a_changed_digit_or_icon() -> None:
    card = card_of("appointment")
    drawer = CardDrawer()
    drawn = drawer.draw(card)

    assert differing_share(drawn, drawer.draw(replace(card, big="11:00"))) > TOLERANCE
    assert differing_share(drawn, drawer.draw(replace(card, icon="court"))) > TOLERANCE
