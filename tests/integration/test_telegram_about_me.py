"""/aboutme over each real Telegram framework: the person builds their About me with taps,
their own words and a voice note, says whether IOM staff may see it, sees it again, and
can say no later. Every version is kept."""

from __future__ import annotations

from sqlmodel import col, select

from bot.composition import Waymark
from bot.models import ConsentEvent, PassportVersion
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat

MEDIA_LABELS = ["🔊 Read it to me", "🖼 Show me"]


def _versions(app: Waymark) -> list[PassportVersion]:
    with app.uow() as uow:
        query = select(PassportVersion).order_by(col(PassportVersion.id))
        return list(uow.session.exec(query).all())


def _passport_consents(app: Waymark) -> list[str]:
    with app.uow() as uow:
        rows = uow.session.exec(
            select(ConsentEvent)
            .where(ConsentEvent.purpose == "passport")
            .order_by(col(ConsentEvent.id))
        ).all()
        return [row.decision for row in rows]


def _toasts(botapi: StandInBotAPI) -> list[str]:
    return [
        str(call.params.get("text", ""))
        for call in botapi.calls
        if call.method == "answerCallbackQuery" and call.params.get("text")
    ]


async def test_about_me_is_built_in_the_chat_shown_again_and_unshared_later(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI
) -> None:
    intro, spoken = await sam.say("/aboutme", expect=2)
    assert intro.startswith("Let us make your About me.")
    assert spoken == "How do you like people to talk to you?"
    assert sam.last_labels()[:4] == [
        "🔤 Short and simple",
        "🐢 Calm and slow",
        "🎯 Straight to it",
        "⏭ Skip",
    ]

    assert await sam.press("am:spoken:calm") == [
        "What helps you understand? Tap all that help. Then tap Done."
    ]
    await sam.silence(lambda: botapi.press_button(sam.chat_id, _last(sam), "am:understand:written"))
    await sam.silence(
        lambda: botapi.press_button(sam.chat_id, _last(sam), "am:understand:extra_time")
    )
    assert "Added." in _toasts(botapi)
    assert await sam.press("am:understand:done") == [
        "What makes things hard for you? Tap all that are hard. Then tap Done."
    ]
    await sam.silence(lambda: botapi.press_button(sam.chat_id, _last(sam), "am:hard:phone_calls"))
    assert await sam.press("am:hard:done") == ["What time of day is best for you?"]
    assert await sam.press("am:time:morning") == ["If it all gets too much, what helps you?"]
    assert await sam.say("Let me walk outside for five minutes") == [
        "How do you like to get information?"
    ]
    assert await sam.press("am:format:voice") == [
        "Is there anything else? Write it, or send a voice note. Or tap Done."
    ]
    assert await sam._exchange(lambda: botapi.send_voice(sam.chat_id), 1) == [
        "Can your case workers see your About me? You can change this later."
    ]
    assert await sam.press("am:share:yes") == [
        "Thank you. Your About me is saved. Your coach and your case workers can see it."
    ]

    (first,) = _versions(onboarded)
    assert first.answers == {
        "spoken": ["calm"],
        "understand": ["written", "extra_time"],
        "hard": ["phone_calls"],
        "time": ["morning"],
        "overwhelmed_words": "Let me walk outside for five minutes",
        "format": ["voice"],
    }
    assert (first.words, first.via) == ("", "bot")
    assert first.voice_id  # Telegram's id of their voice note
    assert _passport_consents(onboarded) == ["given"]

    shown = await sam.say("/aboutme", expect=7)
    assert shown == [
        "Talk to me like this: Calm and slow.",
        "This helps me understand: Written down, Extra time.",
        "This makes things hard: Phone calls.",
        "My best time of day: Morning.",
        "If it gets too much: Let me walk outside for five minutes.",
        "I like information as: Voice notes.",
        "Your coach and your case workers can see this. What do you want to do?",
    ]
    assert sam.last_labels() == ["✏️ Change it", "👥 Who can see it", "👍 All good", *MEDIA_LABELS]

    assert await sam.press("am:menu:share") == [
        "Can your case workers see your About me? You can change this later."
    ]
    assert await sam.press("am:share:no") == [
        "Thank you. Your About me is saved. Only your coach can see it."
    ]
    assert _passport_consents(onboarded) == ["given", "withdrawn"]
    assert len(_versions(onboarded)) == 1  # saying no later changes who sees it, not what


def _last(sam: Chat) -> int:
    message = sam.botapi.last_message(sam.chat_id)
    assert message is not None
    return int(message["message_id"])
