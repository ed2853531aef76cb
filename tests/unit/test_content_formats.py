"""Every content item a person may get has every format: easy-read words, a voice
script and a picture card, each short, with times spoken as words, and needing no
variable the plain words lack (so a card or a voice note never says less)."""

from __future__ import annotations

import re

import pytest

from bot.content.library import CARD_KINDS, ICONS, MAX_MESSAGE, Message, template_variables
from bot.content.rules import (
    FORMAT_EXTRAS,
    MAX_CAPTION,
    MAX_CARD_BIG,
    MAX_CARD_SMALL,
    MAX_CARD_TITLE,
    card_length,
    message_findings,
)
from tests.unit.test_content_writing import MESSAGES

PERSON_MESSAGES = [message for message in MESSAGES if not message.words_only]
# Words only, because no person with a profile reads them: coaches, chats not yet linked,
# notes under a pressed button, calendar files. A new one needs a reason here.
WORDS_ONLY = {
    "unlinked",
    "link_invalid",
    "link_throttled",
    "already_linked",
    "coach_linked",
    "coach_chat",
    "coach_alert",
    "coach_relay",  # to a coach: the words above a voice note a person sent on
    "you_said",
    "aboutme_added",  # toasts on a pressed About me button
    "aboutme_removed",
    "old_button",
    "voice_unavailable",  # goes only because no voice note could be made
    "calendar_file",
    "calendar_summary",
    "calendar_alarm",
    "venue",  # a pin on a map; its words go only where a channel cannot send a pin
}


def test_only_the_messages_no_person_reads_are_words_only() -> None:
    assert {m.key for m in MESSAGES if m.words_only} == WORDS_ONLY


@pytest.mark.parametrize("message", PERSON_MESSAGES, ids=lambda m: m.key)
def test_every_message_has_every_format(message: Message) -> None:
    assert message.missing == (), f"line {message.line}: write its {', '.join(message.missing)}"
    assert [f for f in message_findings(message) if f.code == "missing_format"] == []
    assert message.text
    assert message.easy
    assert message.voice
    assert message.card is not None
    assert message.card.kind in CARD_KINDS
    assert message.card.icon in ICONS or message.card.icon == "{kind}"
    assert message.card.title
    assert message.card.big


@pytest.mark.parametrize("message", PERSON_MESSAGES, ids=lambda m: m.key)
def test_cards_are_short_enough_to_read_at_a_glance(message: Message) -> None:
    card = message.card
    assert card is not None

    length = card_length  # a variable counts as a short word
    assert length(card.title) <= MAX_CARD_TITLE, card.title
    assert length(card.big) <= MAX_CARD_BIG, card.big
    assert len(card.small) <= 4
    assert all(length(line) <= MAX_CARD_SMALL for line in card.small), card.small
    assert length(card.caption or card.title) <= MAX_CAPTION
    assert [f.message for f in message_findings(message) if f.code == "card_length"] == []


@pytest.mark.parametrize("message", PERSON_MESSAGES, ids=lambda m: m.key)
def test_voice_scripts_are_short_sentences_and_say_times_as_words(message: Message) -> None:
    assert len(message.voice) < MAX_MESSAGE
    assert "{time}" not in message.voice, "a voice says {spoken_time}: '10:00' sounds wrong"
    assert not re.search(r"\d{1,2}:\d\d", message.voice), "write times in words to be spoken"
    found = [f for f in message_findings(message) if f.field == "voice" and f.is_problem]
    assert [f.message for f in found if f.code in ("long_sentence", "voice_time")] == []


@pytest.mark.parametrize("message", PERSON_MESSAGES, ids=lambda m: m.key)
def test_formats_need_no_variable_the_words_lack(message: Message) -> None:
    # Then a person who gets a card or a voice note never gets less than the words.
    needed = template_variables(message.text)
    for template in (message.voice, *(message.card.templates() if message.card else ())):
        assert template_variables(template) <= needed | FORMAT_EXTRAS, template
    if "spoken_time" in message.variables():
        assert "time" in needed
    assert [f.message for f in message_findings(message) if f.code == "variables"] == []


def test_appointment_cards_show_date_time_and_place_in_that_order() -> None:
    for message in PERSON_MESSAGES:
        card = message.card
        if card is None or card.kind != "appointment" or "{time}" not in card.big:
            continue
        assert card.top == "{date}", message.key
        assert card.small[0] == "{place}", message.key
        assert card.icon == "{kind}", message.key
        assert [f for f in message_findings(message) if f.code == "card_order"] == []
