"""Discreet on the lock screen: the first line of every message to a person (what a
notification shows) names no probation, police, court, offending, IOM or kind of
appointment, in any format, whatever the coach or the records put in its variables.
The words are content/discreet_words.yaml, a reviewed file."""

from __future__ import annotations

import pytest

from bot.content.discreet import DiscreetWords, first_line, load_discreet_words
from bot.content.library import load_content
from bot.domain.journeys import journey_planner_url, map_url
from bot.flows.types import Say
from bot.rendering.renderer import PICTURES, VOICE, Profile, Renderer

CONTENT = load_content()
WORDS_LIST = load_discreet_words()
RENDERER = Renderer(CONTENT, WORDS_LIST)
# Messages only a coach's chat ever gets: a person's phone never shows them.
COACH_ONLY = {"coach_linked", "coach_chat", "coach_alert", "coach_relay"}
PLACE = "Camberwell Probation Office, 45 Camberwell Road"
# Every variable filled as badly as a coach or a record could fill it: the telling words
# in each free one, so only a first line kept free of them by design passes.
TELLING = {
    "place": PLACE,
    "with": "your probation officer at court",
    "kind": "probation",
    "text": "Your IOM appointment at the police station",
    "goal": "Stay out of court",
    "step": "Call probation about your licence",
    "detail": "police",
    "travel_note": "Bus 36 to the probation office",
    "journey_url": journey_planner_url(PLACE),
    "map_url": map_url(PLACE),
    "name": "Sam",
    "coach": "Priya",
    "date": "Wednesday 25 November",
    "time": "10:00",
    "done": "1",
    "total": "3",
    "ref": "IOM-0001",
    "choice": "I am coming",
}
TO_A_PERSON = sorted(set(CONTENT.messages) - COACH_ONLY)
DISCREET = Profile(discreet=True)


def _first_lines(key: str) -> dict[str, str]:
    """Each format's first line: the words (plain and easy-read), a picture card's title
    and the caption under it, and a voice note's script."""
    say = Say(key, dict(TELLING))
    lines = {
        "words": RENDERER.render(say, DISCREET).words.text,
        "easy-read": RENDERER.render(say, Profile(easy_read=True)).words.text,
    }
    if CONTENT.messages[key].words_only:
        return {name: first_line(text) for name, text in lines.items()}
    card = RENDERER.render(say, Profile(format=PICTURES)).card
    speech = RENDERER.render(say, Profile(format=VOICE)).speech
    assert card is not None, key
    assert speech is not None, key
    lines |= {"card title": card.title, "card caption": card.caption, "voice": speech.text}
    return {name: first_line(text) for name, text in lines.items()}


@pytest.mark.parametrize("key", TO_A_PERSON)
def test_no_first_line_tells_what_the_message_is_about(key: str) -> None:
    lines = _first_lines(key).items()
    told = {name: found for name, line in lines if (found := WORDS_LIST.found_in(line))}
    assert told == {}, f"{key}: {told}"


def test_every_format_was_scanned() -> None:
    formats = {name for key in TO_A_PERSON for name in _first_lines(key)}
    assert formats == {"words", "easy-read", "card title", "card caption", "voice"}
    assert len(TO_A_PERSON) > 50


def test_a_reminder_starts_with_the_time_and_the_place_short_name() -> None:
    say = Say("reminder_evening", dict(TELLING))
    text = RENDERER.render(say, DISCREET).words.text
    assert text.split("\n") == [
        "Tomorrow 10:00, Camberwell",
        "Sam, tomorrow: Wednesday 25 November, 10:00, Camberwell Probation Office, "
        "45 Camberwell Road. You will see your probation officer at court.",
    ]


def test_without_discreet_previews_the_details_come_first() -> None:
    say = Say("reminder_evening", dict(TELLING))
    text = RENDERER.render(say, Profile(discreet=False)).words.text
    assert text.startswith("Sam, tomorrow: Wednesday 25 November, 10:00, Camberwell Probation")


@pytest.mark.parametrize(
    ("place", "short"),
    [
        (PLACE, "Camberwell"),
        ("Lambeth Police Station, 49 Brixton Road", "Lambeth"),
        ("Jobcentre Plus Brixton, 1 Acre Lane", "Brixton"),
        ("Probation Office, 45 Camberwell Road", "Camberwell Road"),
        ("IOM Hub", "Hub"),
        ("The Office", "your appointment"),
    ],
)
def test_a_place_short_name_drops_the_telling_and_plain_words(place: str, short: str) -> None:
    assert WORDS_LIST.short_place(place) == short
    assert WORDS_LIST.found_in(short) == []


def test_words_are_matched_whole_whatever_the_case_and_spacing() -> None:
    words = DiscreetWords("test", ("probation officer", "court", "IOM"))
    assert words.found_in("Your PROBATION   officer, at Court; iom") == [
        "PROBATION   officer",
        "Court",
        "iom",
    ]
    assert words.found_in("A courtyard in Biomedical Road") == []


def test_the_list_names_what_the_issue_names() -> None:
    for word in ("probation", "police", "court", "offending", "IOM"):
        assert WORDS_LIST.found_in(f"a {word} b") == [word]
    for kind in ("probation", "police", "court", "jobcentre", "gp"):  # kinds that tell
        assert WORDS_LIST.found_in(kind), kind
