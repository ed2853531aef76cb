"""The content editor's preview: one item in every format, made by the real renderer,
filled with a person's variables or with the examples in content/preview_examples.yaml."""

from __future__ import annotations

import pytest

from bot.content.library import VARIABLES, load_content
from bot.content.overlay import Edit, check_edit
from bot.domain.errors import NotFound
from bot.rendering.preview import default_examples, preview
from bot.rendering.renderer import Profile

CONTENT = load_content()


def test_every_variable_has_an_example() -> None:
    assert set(default_examples()) == VARIABLES - {"spoken_time", "place_short"}  # made


def test_a_reminder_in_every_format() -> None:
    shown = preview(CONTENT, "reminder_evening", Profile("pictures"), {"name": "Alex"})

    assert shown.plain == (
        "Tomorrow 10:00, Camberwell\n"
        "Alex, tomorrow: Wednesday 25 November, 10:00, Camberwell Office, 45 Camberwell Road. "
        "You will see Jo."
    )
    assert shown.easy.startswith("Tomorrow 10:00, Camberwell\nAlex, tomorrow: ")
    assert shown.card is not None
    assert shown.card.card is not None
    assert (shown.card.card.big, shown.card.card.icon) == ("10:00", "probation")
    assert shown.voice is not None
    assert shown.voice_script == (
        "Alex, tomorrow, Wednesday 25 November, at 10 o'clock in the morning.\n"
        "At Camberwell Office, 45 Camberwell Road. You will see Jo."
    )
    assert set(shown.scores) == {"text", "easy", "voice"}
    assert [f for f in shown.findings if f.is_problem] == []


def test_a_words_only_item_has_no_card_or_voice() -> None:
    shown = preview(CONTENT, "old_button")

    assert shown.words_only
    assert (shown.card, shown.voice, shown.voice_script) == (None, None, "")
    assert shown.plain == CONTENT.message("old_button").text


def test_an_unknown_item_is_not_found() -> None:
    with pytest.raises(NotFound, match="no content item 'nope'"):
        preview(CONTENT, "nope")


def test_words_typed_but_not_saved_are_previewed_with_their_findings() -> None:
    typed = "Hang in there. Your coach is {coach}."
    draft = check_edit(CONTENT, Edit("help", fields={"easy": typed}))

    shown = preview(CONTENT, "help", Profile(easy_read=True), draft=draft)

    assert shown.easy == "Hang in there. Your coach is Priya."
    assert shown.plain == CONTENT.message("help").text.replace("{coach}", "Priya")
    assert [(f.field, f.code) for f in shown.findings if f.is_problem] == [("easy", "idiom")]
    assert CONTENT.message("help").easy != typed  # the library itself is left alone
