"""The renderer: one content item, the person's profile, and out comes the message in
their format, with "Read it to me" and "Show me", never a raw {variable}."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.content.library import load_content
from bot.flows.reminder_replies import appointment_variables, reminder_buttons
from bot.flows.types import AppointmentView, Button, Say
from bot.rendering.renderer import PLAIN, Profile, Renderer, again_data, parse_again
from bot.rendering.spoken import spoken_time

CONTENT = load_content()
RENDERER = Renderer(CONTENT)
JO = AppointmentView(
    id=7,
    revision=2,
    starts_at=datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
    place="Camberwell Office, 45 Camberwell Road",
    with_whom="Jo",
    kind="probation",
)
REMINDER = Say(
    "reminder_evening", {"name": "Sam", **appointment_variables(JO)}, reminder_buttons(7, 2)
)
WORDS_TEXT = (  # the first line is what a lock screen shows: the time and the place's short name
    "Tomorrow 10:00, Camberwell\n"
    "Sam, tomorrow: Wednesday 25 November, 10:00, Camberwell Office, 45 Camberwell Road. "
    "You will see Jo."
)
MEDIA_ROW = [("🔊 Read it to me", "md:voice:12"), ("🖼 Show me", "md:pictures:12")]


def rows(say: Say, profile: Profile = PLAIN, sent_id: int | None = 12) -> list[list[str]]:
    draft = RENDERER.render(say, profile, sent_id=sent_id)
    return [[button.data for button in row] for row in draft.words.buttons]


def test_words_are_the_plain_text_with_the_buttons_and_read_it_to_me_and_show_me() -> None:
    draft = RENDERER.render(REMINDER, Profile("words"), sent_id=12)

    assert draft.words.text == WORDS_TEXT
    assert (draft.card, draft.speech, draft.calendar) == (None, None, None)
    assert not draft.wants_media
    last = draft.words.buttons[-1]
    assert [(b.label, b.data) for b in last] == MEDIA_ROW
    assert [b.label for b in draft.words.buttons[0]] == ["✅ I am coming", "⏰ Running late"]
    assert draft.sent_id == 12


def test_easy_read_words_when_the_profile_asks() -> None:
    say = Say("welcome", {"name": "Sam"})

    assert RENDERER.render(say, Profile(easy_read=True)).words.text == (
        "Hello Sam. I am Waymark. I help you get to your appointments. You tap a button to answer."
    )
    assert RENDERER.render(say, Profile(easy_read=False)).words.text.startswith(
        "Hello Sam. I am Waymark. I will help you"
    )


def test_pictures_get_an_appointment_card_with_a_short_caption() -> None:
    draft = RENDERER.render(REMINDER, Profile("pictures"), sent_id=12)

    card = draft.card
    assert card is not None
    assert (card.kind, card.icon, card.title) == ("appointment", "probation", "Tomorrow")
    assert (card.top, card.big) == ("Wednesday 25 November", "10:00")
    assert card.small == ("Camberwell Office, 45 Camberwell Road", "You will see Jo")
    assert card.caption == "Sam, tomorrow at 10:00"
    assert "probation" not in card.caption.lower()  # a lock screen may be seen by others
    assert draft.words.text == WORDS_TEXT  # what goes if the card cannot be drawn
    assert [(b.label, b.data) for b in draft.words.buttons[-1]] == MEDIA_ROW


def test_an_unknown_appointment_kind_gets_the_calendar_icon() -> None:
    say = Say(REMINDER.key, {**REMINDER.variables, "kind": "supervision"})

    card = RENDERER.render(say, Profile("pictures")).card

    assert card is not None
    assert card.icon == "other"


def test_voice_gets_the_script_with_the_time_in_words() -> None:
    draft = RENDERER.render(REMINDER, Profile("voice", easy_read=True), sent_id=12)

    assert draft.speech is not None
    assert draft.speech.text == (
        "Sam, tomorrow, Wednesday 25 November, at 10 o'clock in the morning.\n"
        "At Camberwell Office, 45 Camberwell Road. You will see Jo."
    )
    assert draft.speech.language == "en"
    assert draft.words.text == WORDS_TEXT  # the words under the voice note


def test_read_it_to_me_and_show_me_render_the_other_format() -> None:
    words_person = Profile("words")

    voice = RENDERER.render(REMINDER, words_person, sent_id=12, format_="voice")
    picture = RENDERER.render(REMINDER, words_person, sent_id=12, format_="pictures")

    assert voice.speech is not None
    assert voice.card is None
    assert picture.card is not None
    assert picture.speech is None


def test_a_check_in_card_shows_the_answers_without_their_emoji() -> None:
    buttons = ((Button("recommended", "ob:x:recommended"),), (Button("fewer", "ob:x:fewer"),))

    card = RENDERER.render(Say("ask_reminders", {}, buttons), Profile("pictures")).card

    assert card is not None
    assert card.kind == "checkin"
    assert card.choices == ("Yes, that is OK", "Fewer please")


def test_a_progress_card_knows_how_many_steps_are_done() -> None:
    card = RENDERER.render(Say("onboarding_done", {"name": "Sam"}), Profile("pictures")).card

    assert card is not None
    assert (card.kind, card.done, card.total) == ("progress", 5, 5)


def test_words_only_items_have_no_formats_and_no_media_buttons() -> None:
    say = Say("coach_alert", {"ref": "IOM-1", "kind": "late", "detail": ""})

    draft = RENDERER.render(say, Profile("voice"), sent_id=12)

    assert draft.speech is None
    assert draft.words.buttons == ()


def test_messages_without_a_sent_record_have_no_media_buttons() -> None:
    assert rows(Say("help", {"coach": "Priya"}), sent_id=None) == []
    assert rows(Say("help", {"coach": "Priya"})) == [["md:voice:12", "md:pictures:12"]]


def test_a_missing_variable_never_reaches_the_person(caplog: pytest.LogCaptureFixture) -> None:
    say = Say("reminder_evening", {"name": "Sam", "date": "Wednesday 25 November"})

    with caplog.at_level(logging.WARNING, logger="bot.rendering.renderer"):
        draft = RENDERER.render(say, Profile("pictures"), sent_id=12)

    assert draft.words.text == CONTENT.message("missing_details").text
    assert "{" not in draft.words.text
    assert draft.card is None  # a card with holes would mislead
    assert caplog.records[0].content_key == "reminder_evening"  # type: ignore[attr-defined]
    assert caplog.records[0].variable in {"time", "place", "with"}  # type: ignore[attr-defined]
    assert "Sam" not in caplog.text  # which variable, never the values


def test_a_format_that_cannot_be_filled_falls_back_to_the_plain_words() -> None:
    # "time" that is not a clock time has no spoken form: the voice script cannot be read.
    say = Say(REMINDER.key, {**REMINDER.variables, "time": "soon"})

    draft = RENDERER.render(say, Profile("voice"), sent_id=12)

    assert draft.speech is None
    assert draft.words.text == WORDS_TEXT.replace("10:00", "soon")  # both lines


def test_add_to_calendar_makes_a_calendar_file_with_a_discreet_summary() -> None:
    say = Say("calendar_file", appointment_variables(JO), calendar=JO)

    draft = RENDERER.render(say, Profile("pictures"), sent_id=3)

    assert draft.calendar is not None
    assert draft.calendar.summary == "Appointment at Camberwell"  # a calendar alarm shows it
    assert draft.calendar.alarm == "Appointment in 1 hour"
    assert (draft.calendar.appointment_id, draft.calendar.revision) == (7, 2)
    assert draft.card is None  # the file is the thing: the words are its caption
    assert draft.words.text == CONTENT.message("calendar_file").text


def test_a_language_on_the_profile_picks_its_translation(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "content" / "messages.yaml"
    (tmp_path / "messages.yaml").write_text(source.read_text(encoding="utf-8"))
    (tmp_path / "messages.cy.yaml").write_text(
        'version: "cy-1"\nlanguage: cy\nmessages:\n  reply_coming:\n'
        '    text: "Diolch. Welwn ni chi yno."\n    easy: "Diolch."\n    voice: "Diolch."\n'
        '    card: {kind: nudge, icon: check, title: "Diolch", big: "Welwn ni chi yno"}\n'
        'buttons:\n  read_to_me: "🔊 Darllen i mi"\n',
        encoding="utf-8",
    )
    renderer = Renderer(load_content(tmp_path))
    welsh = Profile(language="cy")

    thanks = renderer.render(Say("reply_coming"), welsh, sent_id=1)
    untranslated = renderer.render(Say("kept_going"), welsh, sent_id=1)

    assert thanks.words.text == "Diolch. Welwn ni chi yno."
    assert [b.label for b in thanks.words.buttons[-1]] == ["🔊 Darllen i mi", "🖼 Show me"]
    assert untranslated.words.text == "OK. I will keep going."  # English behind it


@pytest.mark.parametrize(
    ("clock", "spoken"),
    [
        ("10:00", "10 o'clock in the morning"),
        ("09:05", "5 past 9 in the morning"),
        ("14:30", "2 30 in the afternoon"),
        ("12:15", "12 15 in the afternoon"),
        ("19:45", "7 45 in the evening"),
        ("12:00", "midday"),
        ("00:00", "midnight"),
        ("00:30", "12 30 in the morning"),
    ],
)
def test_times_are_spoken_in_words(clock: str, spoken: str) -> None:
    assert spoken_time(CONTENT, clock) == spoken


@pytest.mark.parametrize("clock", ["soon", "25:00", "10:60", "", "10.00"])
def test_what_is_not_a_time_has_no_spoken_form(clock: str) -> None:
    assert spoken_time(CONTENT, clock) is None


def test_again_buttons_round_trip_and_refuse_anything_else() -> None:
    assert parse_again(again_data("voice", 12)) == ("voice", 12)
    assert parse_again(again_data("pictures", 3)) == ("pictures", 3)
    for data in ["md:words:1", "md:voice:", "md:voice:x", "ap:1:1:coming", "md", ""]:
        assert parse_again(data) is None
    assert len(again_data("pictures", 10**12).encode()) <= 64
