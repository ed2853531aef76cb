"""The crisis word list: what it must catch, and the everyday phrases the tests found
that it must not (they are written beside the list in content/crisis_words.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.crisis import load_crisis_words, normalise
from bot.content.library import ContentError

WORDS = load_crisis_words()


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "i dont want to be here anymore",
        "I don\u2019t want to live",
        "I can't go on like this",
        "thinking about suicide",
        "feeling SUICIDAL today",
        "I might hurt myself",
        "I have been cutting myself again",
        "took an overdose",
        "everyone would be better off dead without me",
        "I'm not safe at home",
        "I want to end it all",
        "I can't go on the bus and I want to die",
    ],
)
def test_crisis_messages_are_caught(text: str) -> None:
    assert WORDS.matches(text)


@pytest.mark.parametrize(
    "text",
    [
        "this traffic is killing me",
        "I'm dying to see my kids",
        "I'll jump off the bus at Peckham",
        "it is not safe to drive in this snow",
        "I can't go on Monday, can we move it?",
        "I can't go on the bus with my pram",
    ],
)
def test_everyday_phrases_are_not(text: str) -> None:
    assert not WORDS.matches(text)


def test_a_film_title_is_still_caught_on_purpose() -> None:
    # Wider is safer: a coach reading "suicide squad" loses a minute; a missed cry for help
    # could cost a life. The list keeps "suicide" whole.
    assert WORDS.matches("the suicide squad film was on")


def test_normalise_folds_apostrophes_case_and_spaces() -> None:
    assert normalise("  I  DON\u2019T   want-to be here!! ") == "i dont want to be here"


def test_every_not_crisis_phrase_would_have_matched_a_crisis_phrase() -> None:
    for harmless in WORDS.not_crisis:
        assert any(f" {phrase} " in f" {harmless} " for phrase in WORDS.phrases), harmless


def test_a_missing_or_broken_list_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"crisis_words\.yaml: the crisis word list is missing"):
        load_crisis_words(tmp_path)
    (tmp_path / "crisis_words.yaml").write_text("phrases: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"crisis_words.yaml, line \d"):
        load_crisis_words(tmp_path)
