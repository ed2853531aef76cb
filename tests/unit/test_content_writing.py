"""The real content library against the writing targets of DESIGN.md section 5: the
rules of bot/content/rules.py, which the content editor checks edits against too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.content.library import (
    MAX_BUTTON,
    MAX_MESSAGE,
    VARIABLES,
    ContentLibrary,
    Message,
    load_content,
    template_variables,
)
from bot.content.plain_language.check import Finding
from bot.content.plain_language.word_lists import default_rules
from bot.content.rules import button_findings, line_findings, message_findings

CONTENT = load_content()


# The writing targets (bot/content/rules.py, the rules the content editor holds edits to) ---

MESSAGES = sorted(CONTENT.messages.values(), key=lambda message: message.key)
RULES = default_rules()


def _all_words(library: ContentLibrary) -> Iterator[tuple[str, str]]:
    for message in library.messages.values():
        yield f"message {message.key}", message.text
        yield f"message {message.key} (easy)", message.easy
        yield f"message {message.key} (voice)", message.voice
        if message.card is not None:
            for i, text in enumerate(message.card.templates()):
                yield f"message {message.key} (card {i})", text
    for table, items in (
        ("button", library.buttons),
        ("command", library.commands),
        ("alert kind", library.alert_kinds),
    ):
        for key, text in items.items():
            yield f"{table} {key}", text


WORDS = list(_all_words(CONTENT))


def _found(message: Message, code: str, *fields: str) -> list[str]:
    """The problems of one kind in a message (in `fields` when given), as readable lines."""
    return [
        f"{finding.field}: {finding.message}"
        for finding in message_findings(message)
        if finding.code == code and finding.is_problem and (not fields or finding.field in fields)
    ]


def _in_words(text: str, code: str) -> list[str]:
    return [finding.part for finding in line_findings(text) if finding.code == code]


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.key)
def test_every_message_is_under_200_characters(message: Message) -> None:
    assert MAX_MESSAGE == 200
    assert _found(message, "too_long", "text", "easy") == []


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.key)
def test_easy_read_sentences_have_15_words_or_fewer(message: Message) -> None:
    # Words-only items have one version for everyone, held to the easy-read targets.
    assert _found(message, "long_sentence", "easy" if not message.words_only else "text") == []


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.key)
def test_reading_ease_meets_its_target(message: Message) -> None:
    # 70 or more, 80 or more for easy-read: bot/content/plain_language/reading_ease.py says
    # how it is measured.
    assert _found(message, "reading_ease") == []


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.key)
def test_messages_use_only_known_variables_and_easy_keeps_them_all(message: Message) -> None:
    assert template_variables(message.text) <= VARIABLES
    assert template_variables(message.easy) == template_variables(message.text)
    assert _found(message, "variables", "easy") == []


@pytest.mark.parametrize(("key", "label"), sorted(CONTENT.buttons.items()))
def test_every_button_label_is_short_and_starts_with_an_emoji(key: str, label: str) -> None:
    assert MAX_BUTTON == 20
    if key.startswith("scale_"):  # 0 to 10 reads as numbers; words would not fit a row
        assert label == key.removeprefix("scale_")
    assert button_findings(label) == []


@pytest.mark.parametrize(("where", "text"), WORDS, ids=[where for where, _ in WORDS])
def test_no_capitals_for_emphasis(where: str, text: str) -> None:
    assert _in_words(text, "capitals") == [], where


@pytest.mark.parametrize(("where", "text"), WORDS, ids=[where for where, _ in WORDS])
def test_no_idioms(where: str, text: str) -> None:
    assert _in_words(text, "idiom") == [], where


@pytest.mark.parametrize(("where", "text"), WORDS, ids=[where for where, _ in WORDS])
def test_no_italics_or_other_marks_for_emphasis(where: str, text: str) -> None:
    assert _in_words(text, "emphasis") == [], where


LINES = [(where, text) for where, text in WORDS if where.startswith(("command", "alert kind"))]


@pytest.mark.parametrize(("where", "text"), LINES, ids=[where for where, _ in LINES])
def test_commands_and_alert_kinds_have_no_problems(where: str, text: str) -> None:
    assert [f.message for f in line_findings(text) if f.is_problem] == [], where


def test_every_accepted_exception_names_a_message_that_still_needs_it() -> None:
    # An exception outlives its reason when the words are fixed: then it must go.
    for key, accepted in RULES.accepted.items():
        assert key in CONTENT.messages, f"plain_language.yaml accepts {key!r}: no such message"
        below = {
            finding.field
            for finding in message_findings(CONTENT.messages[key], rules=RULES)
            if finding.code == "reading_ease" and "Accepted:" in finding.message
        }
        assert below == set(accepted.fields), f"{key}: only {sorted(below)} are below the target"


def test_the_style_checks_catch_what_they_are_for() -> None:
    # The checks above pass on the real library; here they must fail on a bad item.
    bad = "Hang in there, this is VERY important. Heads up: DO NOT miss it at the NHS."
    assert _in_words(bad, "capitals") == ["VERY", "DO", "NOT"]
    assert sorted(_in_words(bad, "idiom")) == ["Hang in there", "Heads up"]
    sixteen = "One two three four five six seven eight nine ten 11 12 13 14 15 16. Short."
    item = Message("bad", text="Fine.", easy=sixteen, voice="Fine.")
    assert [f.part for f in message_findings(item) if f.code == "long_sentence"] == [
        sixteen.removesuffix(" Short.")
    ]
    short = Message("good", text="Fine.", easy="One two three. Four five, six? Seven!", voice="Ok.")
    assert [f for f in message_findings(short) if f.code == "long_sentence"] == []


def _problems(found: list[Finding]) -> list[str]:
    return [finding.code for finding in found if finding.is_problem]


def test_the_rules_catch_a_bad_button() -> None:
    assert _problems(button_findings("Press here to continue now")) == [
        "button_length",
        "button_emoji",
    ]
    assert _problems(button_findings("✅")) == ["button_words"]
