"""The About me flow names its words from its tables: every one is in the content library,
and the dashboard's passport knows the same questions and choices as the chat."""

from __future__ import annotations

from bot.content.library import load_content
from bot.flows import about_me
from bot.services import passport

CONTENT = load_content()


def test_every_question_and_answer_of_about_me_has_its_words() -> None:
    for step in about_me.STEPS:
        assert f"aboutme_{step}" in CONTENT.messages
    for topic, (codes, _) in about_me.TOPICS.items():
        assert f"aboutme_show_{topic}" in CONTENT.messages
        for code in codes:
            assert f"am_{topic}_{code}" in CONTENT.buttons
    assert {"am_done", "am_skip"} <= CONTENT.buttons.keys()


def test_the_dashboard_knows_the_chat_s_questions_and_choices() -> None:
    chat = {topic: set(codes) for topic, (codes, _) in about_me.TOPICS.items()}
    dashboard = {topic: set(choices) for topic, (_, _, choices) in passport.TOPICS.items()}
    several = {topic for topic, (_, many) in about_me.TOPICS.items() if many}

    assert chat == dashboard
    assert several == {topic for topic, (_, many, _) in passport.TOPICS.items() if many}
