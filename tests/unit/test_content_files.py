"""Loading the content library: a good file loads with every format, translations stand
item by item in front of English, and a missing or broken file is refused with its file
and line, so a coach can fix it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content.library import ContentError, load_content

CONTENT = load_content()

GOOD = """\
version: "test"
messages:
  hello:
    text: "Hello {name}."
    easy: "Hi {name}."
    voice: "Hello {name}."
    card:
      kind: nudge
      icon: smile
      title: "Hello {name}"
      big: "Hello"
      small: ["A small line"]
  note:
    words_only: true
    text: "A note."
buttons:
  ok: "✅ OK"
spoken_time:
  on_the_hour: "{hour} o'clock"
  few_past: "{minute} past {hour}"
  past: "{hour} {minute}"
  morning: "{time} in the morning"
  afternoon: "{time} in the afternoon"
  evening: "{time} in the evening"
  midday: "midday"
  midnight: "midnight"
"""
WELSH = """\
version: "test-cy"
language: cy
messages:
  hello:
    text: "Helo {name}."
    easy: "Helo {name}."
    voice: "Helo {name}."
    card:
      kind: nudge
      icon: smile
      title: "Helo {name}"
      big: "Helo"
buttons:
  ok: "✅ Iawn"
"""


def _library(tmp_path: Path, text: str, name: str = "messages.yaml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(ContentError) as caught:
        load_content(_library(tmp_path, text))
    return str(caught.value)


def test_a_good_small_library_loads(tmp_path: Path) -> None:
    library = load_content(_library(tmp_path, GOOD))

    assert library.version == "test"
    hello = library.message("hello")
    assert (hello.text, hello.easy, hello.voice) == ("Hello {name}.", "Hi {name}.", "Hello {name}.")
    assert hello.card is not None
    assert (hello.card.kind, hello.card.icon, hello.card.small) == (
        "nudge",
        "smile",
        ("A small line",),
    )
    assert hello.card.caption == ""  # the title stands in
    note = library.message("note")
    assert note.words_only
    assert note.easy == note.voice == note.text == "A note."
    assert library.button("ok") == "✅ OK"
    assert library.languages == ("en",)


def test_broken_yaml_names_the_file_and_the_line(tmp_path: Path) -> None:
    broken = GOOD.replace('    text: "Hello {name}."\n', '    text: "Hello {name}."\n    - no\n')
    path = _library(tmp_path, broken) / "messages.yaml"

    with pytest.raises(ContentError) as caught:
        load_content(tmp_path)

    assert str(caught.value).startswith(f"{path}, line 5:")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path)

    assert str(caught.value) == f"{tmp_path / 'messages.yaml'}: the content file is missing"


@pytest.mark.parametrize(
    "item", ['text: "Hello {nmae}."', 'text: "Hello."\n    easy: "Hi {name} {when}."']
)
def test_an_unknown_variable_is_refused(tmp_path: Path, item: str) -> None:
    text = GOOD.replace('text: "Hello {name}."', item, 1).replace('    easy: "Hi {name}."\n', "", 1)

    message = _refused(tmp_path, text)

    assert message.startswith(str(tmp_path / "messages.yaml"))
    assert "'hello'" in message
    assert ("nmae" in message) or ("when" in message)


@pytest.mark.parametrize(
    ("change", "line", "problem"),
    [
        (('voice: "Hello {name}."', 'voice: ""'), 6, "message 'hello' voice script must be"),
        (('easy: "Hi {name}."', "easy: 42"), 5, "message 'hello' easy-read text must be"),
        (("    card:\n", "    card: a card\n    nothing:\n"), 7, "message 'hello' has no card"),
        (("icon: smile", "icon: unicorn"), 9, "icon 'unicorn' is not a known icon"),
        (("kind: nudge", "kind: poster"), 8, "kind must be one of"),
        (('title: "Hello {name}"', 'title: "Hello {name"'), 10, "has a broken {variable}"),
        (('    text: "A note."\n', '    text: "A note."\n    text: "Again."\n'), 16, "given twice"),
        (('small: ["A small line"]', "small: [a, b, c, d, e]"), 12, "at most 4 lines"),
    ],
)
def test_a_broken_item_is_refused_naming_its_line(
    tmp_path: Path, change: tuple[str, str], line: int, problem: str
) -> None:
    message = _refused(tmp_path, GOOD.replace(*change, 1))

    assert message.startswith(f"{tmp_path / 'messages.yaml'}, line {line}: "), message
    assert problem in message


def test_a_message_not_yet_written_in_every_format_loads_with_the_words_standing_in(
    tmp_path: Path,
) -> None:
    # So a new message never stops the bot; test_every_message_has_every_format flags it.
    start = GOOD.index("    easy:")
    text = GOOD[:start] + GOOD[GOOD.index("  note:") :]

    hello = load_content(_library(tmp_path, text)).message("hello")

    assert hello.missing == ("easy", "voice", "card")
    assert hello.easy == hello.voice == hello.text
    assert hello.card is None
    assert not hello.words_only


def test_a_card_without_its_kind_fields_is_refused(tmp_path: Path) -> None:
    appointment = GOOD.replace("kind: nudge", "kind: appointment", 1)
    assert "card top must be non-empty" in _refused(tmp_path, appointment)
    progress = GOOD.replace("kind: nudge", "kind: progress", 1)
    assert "card done must be non-empty" in _refused(tmp_path, progress)


def test_spoken_time_must_be_complete(tmp_path: Path) -> None:
    assert "spoken_time lacks ['midnight']" in _refused(
        tmp_path, GOOD.replace('  midnight: "midnight"\n', "")
    )


def test_a_translation_is_used_item_by_item_with_english_behind_it(tmp_path: Path) -> None:
    _library(tmp_path, GOOD)
    library = load_content(_library(tmp_path, WELSH, "messages.cy.yaml"))

    assert library.languages == ("en", "cy")
    assert library.message("hello", "cy").text == "Helo {name}."
    assert library.message("note", "cy").text == "A note."  # not translated: English
    assert library.message("hello", "fr").text == "Hello {name}."  # no such language
    assert library.button("ok", "cy") == "✅ Iawn"
    assert library.spoken("midday", "cy") == "midday"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("language: cy", "language: fr"), "says language 'fr', not 'cy'"),
        (("  hello:\n", "  goodbye:\n"), "translates keys English does not have: ['goodbye']"),
    ],
)
def test_a_wrong_translation_is_refused(
    tmp_path: Path, change: tuple[str, str], problem: str
) -> None:
    _library(tmp_path, GOOD)
    _library(tmp_path, WELSH.replace(*change, 1), "messages.cy.yaml")

    with pytest.raises(ContentError, match=re.escape(problem)) as caught:
        load_content(tmp_path)

    assert str(caught.value).startswith(str(tmp_path / "messages.cy.yaml"))


def test_a_missing_key_is_a_clear_key_error() -> None:
    with pytest.raises(KeyError, match="no message 'nope'"):
        CONTENT.message("nope")
    with pytest.raises(KeyError, match="no button 'nope'"):
        CONTENT.button("nope")
