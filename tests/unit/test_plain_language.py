"""The plain-language check: each check catches what it is for, and passes what it should
(numbers such as "10:00", names in {variables}, "NHS"). The real library is held to it in
tests/unit/test_content.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.library import CardSpec, ContentError, Message
from bot.content.plain_language.check import Finding, Severity, check
from bot.content.plain_language.reading_ease import grade, score
from bot.content.plain_language.syllables import syllables
from bot.content.plain_language.word_lists import Accepted, Rules, default_rules, load_rules
from bot.content.rules import message_findings

SIXTEEN = "One two three four five six seven eight nine ten eleven twelve thirteen 14 15 16."
FIFTEEN = SIXTEEN.replace(" 16.", ".")
HARD = (
    "Unfortunately, consideration of your circumstances necessitates additional documentation "
    "regarding employment opportunities."
)
BETWEEN = "I can remind you the evening before, the morning of, and 1 hour before. Is that OK?"


def codes(found: list[Finding]) -> list[str]:
    return [finding.code for finding in found]


# Syllables and reading ease ------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("appointment", 3),  # the CMU dictionary
        ("coach's", 2),
        ("can't", 1),
        ("Camberwell", 3),  # not in it: British hyphenation, plus one
        ("Waymark", 2),
        ("check-in", 2),  # each part on its own
        ("NHS", 3),  # capitals it lacks: letter by letter
        ("10:00", 2),  # a number: one for each group of digits
        ("116", 1),
    ],
)
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_reading_ease_is_fleschs_formula() -> None:
    # 6 words, 1 sentence, 6 syllables: 206.835 - 1.015 * 6 - 84.6 * 1
    assert score("The cat sat on the mat.", easy=False).reading_ease == 116.1
    # 8 words, 2 sentences, 9 syllables: 206.835 - 1.015 * 4 - 84.6 * 9 / 8
    assert score("Your coach will call you. Please answer them.", easy=False).reading_ease == 107.6


def test_reading_ease_leaves_out_variables_and_emoji() -> None:
    plain = score("Hello. You will see your coach at the office.", easy=True)
    filled = score("Hello {name}. ✅ You will see {with} your coach at the office.", easy=True)

    assert filled.reading_ease == plain.reading_ease
    assert filled.words == plain.words == 9


def test_the_score_summary_for_the_editor() -> None:
    summary = score(f"Short one. {HARD}", easy=True)

    assert summary.target == 80
    assert summary.reading_ease is not None
    assert summary.reading_ease < 0
    assert summary.grade == "very confusing"
    assert summary.sentences == 2
    assert summary.longest_sentence == HARD
    assert summary.longest_sentence_words == 11
    assert {"documentation", "circumstances", "regarding"} <= set(summary.long_words)
    lengths = [len(word) for word in summary.long_words]
    assert lengths == sorted(lengths, reverse=True)  # longest first
    assert "Short" not in summary.long_words
    assert score("{text}", easy=False).reading_ease is None  # nothing of the writer's own


@pytest.mark.parametrize(
    ("ease", "words"),
    [
        (95, "very easy"),
        (80, "easy"),
        (72, "fairly easy"),
        (65, "standard"),
        (-5, "very confusing"),
    ],
)
def test_grades_in_words(ease: float, words: str) -> None:
    assert grade(ease) == words


def test_reading_ease_below_the_target_is_a_problem() -> None:
    (found,) = check(HARD, easy=False)

    assert (found.code, found.severity) == ("reading_ease", Severity.PROBLEM)
    assert found.message.startswith("Reading ease is ")
    assert "Words need 70 or more." in found.message
    assert "'documentation'" in found.message


def test_easy_read_needs_80_and_plain_words_70() -> None:
    assert 70 <= (score(BETWEEN, easy=True).reading_ease or 0) < 80

    assert codes(check(BETWEEN, easy=False)) == []
    assert codes(check(BETWEEN, easy=True)) == ["reading_ease"]
    assert "Easy-read words need 80 or more." in check(BETWEEN, easy=True)[0].message


def test_a_few_words_get_advice_not_a_problem() -> None:
    # "OK. Nothing was sent." scores 78: one long word moves a short text a long way.
    (found,) = check("OK. Everything stays the same.", easy=True)

    assert (found.code, found.severity) == ("reading_ease", Severity.ADVICE)
    assert "only 5 words" in found.message


# Length and sentences -------------------------------------------------------------------


def test_a_message_is_under_200_characters() -> None:
    assert codes(check("Yes. " * 39 + "Yes!", easy=False)) == []  # 199
    found = check("Yes. " * 40, easy=False)  # 200, with the trailing space stripped by no one

    assert codes(found) == ["too_long"]
    assert found[0].message.startswith("This has 200 characters. A message needs to be under 200")


def test_easy_read_sentences_have_15_words_or_fewer() -> None:
    (found,) = [f for f in check(f"{SIXTEEN} Short.", easy=True) if f.code == "long_sentence"]

    assert found.severity is Severity.PROBLEM
    assert found.part == SIXTEEN
    assert found.message == (
        "This sentence has 16 words. Easy-read sentences need 15 or fewer: "
        "'One two three four five six ...'"
    )
    assert "long_sentence" not in codes(check(FIFTEEN, easy=True))


def test_a_variable_is_a_word_in_a_sentence() -> None:
    assert "long_sentence" in codes(check(FIFTEEN.replace("One", "{name}, one"), easy=True))


def test_voice_sentences_are_as_short_as_easy_read_ones() -> None:
    assert "long_sentence" in codes(check(SIXTEEN, easy=False, kind="voice"))


def test_plain_sentences_over_25_words_get_advice() -> None:
    long = " ".join(["word"] * 26) + "."
    found = [f for f in check(long, easy=False) if f.code == "long_sentence"]

    assert [f.severity for f in found] == [Severity.ADVICE]
    assert "read best with 25 or fewer" in found[0].message
    assert "long_sentence" not in codes(check(" ".join(["word"] * 25) + ".", easy=False))


# Idioms, capitals, emphasis -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Please touch base with your coach.",
        "Hang In There, Sam.",  # any case
        "It will be a doddle.",  # British ones too
        "Bear with me for a minute.",
        "Don\u2019t worry, you are on track.",
    ],
)
def test_idioms_are_found(text: str) -> None:
    assert "idiom" in codes(check(text, easy=False))


@pytest.mark.parametrize(
    "text",
    [
        "You are on the board of the club.",  # "on board" only as whole words together
        "Your coach will call you at the station.",
        "You have a goal.",  # not "have a go"
    ],
)
def test_literal_words_are_not_idioms(text: str) -> None:
    assert "idiom" not in codes(check(text, easy=False))


def test_capitals_for_emphasis_are_found() -> None:
    found = check("Please DO NOT be late. It is VERY important.", easy=False)

    assert [f.part for f in found if f.code == "capitals"] == ["DO", "NOT", "VERY"]
    assert "reads as shouting" in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Call NHS 111 or your GP. OK?",  # acronyms people know
        "Go to A&E now.",
        "Your reference is IOM-0042.",
        "Hello {name}. I am Waymark.",  # a name in a variable; "I"
        "Wednesday 25 November, 10:00, Camberwell Office, 45 Camberwell Road.",
    ],
)
def test_acronyms_numbers_and_names_pass(text: str) -> None:
    assert [f for f in check(text, easy=False) if f.is_problem] == []


@pytest.mark.parametrize("marked", ["*please*", "**now**", "_today_", "<i>today</i>", "~~not~~"])
def test_italics_and_other_marks_for_emphasis_are_found(marked: str) -> None:
    assert "emphasis" in codes(check(f"Come {marked}.", easy=False))


def test_a_variable_with_an_underscore_is_not_emphasis() -> None:
    assert codes(check("At {spoken_time}, at {place}.", easy=False, kind="voice")) == []


def test_several_exclamation_marks_get_advice() -> None:
    (found,) = check("Well done!!", easy=False)

    assert (found.code, found.severity) == ("exclamation", Severity.ADVICE)
    assert codes(check("Well done!", easy=False)) == []


# Buttons and voice ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "label", ["✅ I agree", "🌅 Tomorrow morning", "🗺 How do I get there", "10"]
)
def test_good_buttons_pass(label: str) -> None:
    assert check(label, easy=False, kind="button") == []


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("📅 Add it to my calendar", "button_length"),  # 23 characters
        ("I agree", "button_emoji"),
        ("✅", "button_words"),
        ("✅ 10", "button_words"),
    ],
)
def test_bad_buttons_are_found(label: str, code: str) -> None:
    found = check(label, easy=False, kind="button")

    assert codes(found) == [code]
    assert found[0].is_problem


def test_a_button_is_not_held_to_sentence_targets() -> None:
    assert codes(check("⏳ Reconsideration", easy=True, kind="button")) == []


@pytest.mark.parametrize("script", ["See you at {time}.", "See you at 10:00.", "Come at 9.30."])
def test_a_voice_says_times_in_words(script: str) -> None:
    assert "voice_time" in codes(check(script, easy=False, kind="voice"))
    assert "voice_time" not in codes(check(script, easy=False))  # words may show 10:00


def test_a_voice_at_spoken_time_passes() -> None:
    assert check("See you at {spoken_time}. At {place}.", easy=False, kind="voice") == []


def test_other_languages_are_not_held_to_english_lists_or_formula() -> None:
    welsh = f"{HARD} Hang in there."

    assert codes(check(welsh, easy=False, language="cy")) == []
    assert codes(check("Dewch YN gynnar.", easy=False, language="cy")) == ["capitals"]


def test_problems_come_first() -> None:
    found = check(f"Well done!! {HARD}", easy=False)

    assert [f.severity for f in found] == [Severity.PROBLEM, Severity.ADVICE]


# The word lists and whole items ---------------------------------------------------------


def test_the_word_lists_load_from_content() -> None:
    rules = default_rules()

    assert {"NHS", "GP", "OK", "IOM"} <= rules.acronyms
    assert {"touch base", "heads up", "bear with me"} <= set(rules.idioms)
    assert len(set(rules.idioms)) == len(rules.idioms), "an idiom is listed twice"


LISTS = "acronyms: [NHS]\nidioms: [a]\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("acronyms: NHS\nidioms: [a]\n", "acronyms must be a list of words"),
        (LISTS + "reading_ease_exceptions:\n  x: {fields: [easy]}\n", "x needs a reason"),
        (LISTS + "reading_ease_exceptions:\n  x: {fields: [y], reason: r}\n", "x needs fields"),
    ],
)
def test_a_broken_word_list_is_refused_naming_its_file(
    tmp_path: Path, text: str, problem: str
) -> None:
    (tmp_path / "plain_language.yaml").write_text(text, encoding="utf-8")

    with pytest.raises(ContentError, match=problem) as caught:
        load_rules(tmp_path)

    assert str(caught.value).startswith(f"{tmp_path / 'plain_language.yaml'}, line ")


CARD = CardSpec("nudge", "smile", "Hello", "See you soon")


PLAIN = "You will see your coach."


def _item(easy: str = PLAIN, voice: str = PLAIN, card: CardSpec = CARD) -> Message:
    return Message("hello", PLAIN, easy, voice, card)


def test_an_item_accepted_below_the_target_gets_advice_with_its_reason() -> None:
    item = _item(easy=HARD)
    rules = default_rules()
    accepted = Rules("t", rules.acronyms, rules.idioms, {"hello": Accepted(("easy",), "a law")})

    (strict,) = [f for f in message_findings(item, rules=rules) if f.code == "reading_ease"]
    (eased,) = [f for f in message_findings(item, rules=accepted) if f.code == "reading_ease"]

    assert (strict.field, strict.severity) == ("easy", Severity.PROBLEM)
    assert (eased.field, eased.severity) == ("easy", Severity.ADVICE)
    assert eased.message.endswith("Accepted: a law")


def test_an_item_needs_the_same_variables_in_every_format() -> None:
    found = message_findings(_item(easy="See you, {name}.", voice="At {place}."))

    assert sorted((f.code, f.field) for f in found if f.is_problem) == [
        ("variables", "easy"),
        ("variables", "voice"),
    ]


def test_an_item_with_a_long_card_line_is_found() -> None:
    card = CardSpec("nudge", "smile", "A title that is far too long for a card", "Big")

    found = [f for f in message_findings(_item(card=card)) if f.code == "card_length"]

    assert [(f.field, f.is_problem) for f in found] == [("card title", True)]
