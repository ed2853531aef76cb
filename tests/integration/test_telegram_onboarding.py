"""Linking and onboarding over each real Telegram framework and the stand-in Bot API."""

from __future__ import annotations

from bot.composition import Waymark
from bot.models import Consent, Format
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat

MEDIA_LABELS = ["🔊 Read it to me", "🖼 Show me"]  # on every message to a person


async def test_commands_menu_is_set_at_start(running: Waymark, botapi: StandInBotAPI) -> None:
    (call,) = botapi.calls_to("setMyCommands")
    assert [c["command"] for c in call.params["commands"]] == [
        "start",
        "next",
        "plan",
        "mood",
        "coach",
        "aboutme",
        "help",
        "stop",
    ]


async def test_invite_link_and_onboarding_transcript(
    running: Waymark, sam: Chat, botapi: StandInBotAPI
) -> None:
    world.add_coach(running)
    world.add_person(running)
    code = world.invite(running)

    assert await sam.say(f"/start {code}", expect=3) == [
        "Hello Sam. I am Waymark. I help you get to your appointments. You tap a button to answer.",
        "I keep your first name, your appointments and your taps.\nYour coach sees them. "
        "Probation and police see only if you came.",
        "You can send /stop at any time.\nMissing a message from me is never a breach. Is this OK?",
    ]
    assert sam.last_labels() == ["✅ I agree", "⏸ Not now", *MEDIA_LABELS]

    consent_id = sam.message_with_button("ob:consent:agree")
    assert await sam.press("ob:consent:agree") == [
        "How do you like your messages? Please pick one."
    ]
    # The pressed message keeps its words, loses its buttons and says what was chosen.
    consent = next(m for m in botapi.messages(sam.chat_id) if m["message_id"] == consent_id)
    assert "reply_markup" not in consent or not consent["reply_markup"]
    assert consent["text"].endswith("You said: ✅ I agree")
    assert botapi.calls_to("answerCallbackQuery")

    assert sam.last_labels() == ["📝 Words", "🖼 Pictures", "🔊 Voice", *MEDIA_LABELS]
    # Words here; pictures and voice people: tests/integration/test_telegram_formats.py.
    assert await sam.press("ob:format:words") == [
        "I can remind you the evening before, on the day, and 1 hour before. Is that OK?",
    ]
    assert await sam.press("ob:reminders:fewer") == [
        "When should I be quiet at night? Messages at that time will not make a sound."
    ]
    assert await sam.press("ob:quiet:quiet_21") == [
        "Your phone may show the start of my messages when it is locked. "
        "Should it show only the time and place?"
    ]
    assert sam.last_labels() == ["🔒 Yes, keep private", "📄 No, show details", *MEDIA_LABELS]
    assert await sam.press("ob:discreet:discreet_off", expect=2) == [
        "Here is a practice reminder. It is not a real appointment. Tap any button to try it.",
        "Sam, this is a practice. Tomorrow, 10:00, the Waymark office. You will see your coach.",
    ]
    assert sam.last_labels() == [
        "✅ I am coming",
        "⏰ Running late",
        "❌ I can't come",
        "🗺 How do I get there",
        *MEDIA_LABELS,
    ]
    assert await sam.press("ob:practice:late", expect=2) == [
        "Well done. That is how reminders work. I will send real ones before each appointment.",
        "That is everything for now. Send /next to see your next appointment. "
        "Send /help to see what I can do.",
    ]

    person = world.person(running)
    assert person.consent == Consent.GIVEN
    assert person.consent_version == running.content.version
    assert person.format == Format.WORDS
    assert person.reminder_plan == "fewer"
    assert person.quiet_from == "21:00"
    assert person.discreet_previews is False


async def test_not_now_is_recorded_and_the_bot_stays_quiet(running: Waymark, sam: Chat) -> None:
    world.add_coach(running)
    world.add_person(running)
    await sam.say(f"/start {world.invite(running)}", expect=3)
    assert await sam.press("ob:consent:not_now") == [
        "That is fine. I will stay quiet. Send /start if you change your mind."
    ]
    assert world.person(running).consent == Consent.DECLINED
    await sam.silence(lambda: sam.botapi.send_text(sam.chat_id, "hello?"))
    # /start offers consent again.
    replies = await sam.say("/start", expect=3)
    assert replies[2].endswith("Is this OK?")


async def test_a_code_works_once_and_a_new_invite_voids_the_old(
    running: Waymark, botapi: StandInBotAPI
) -> None:
    world.add_coach(running)
    world.add_person(running)
    old = world.invite(running)
    new = world.invite(running)
    stranger = Chat(botapi, 6001)
    assert await stranger.say(f"/start {old}") == [
        "This link or code does not work. It may be old or used already. "
        "Please ask your coach for a new one."
    ]
    first = Chat(botapi, 6002)
    assert len(await first.say(f"/start {new}", expect=3)) == 3
    second = Chat(botapi, 6003)
    assert await second.say(f"/start {new}") == stranger.texts()


async def test_a_linked_chat_cannot_be_moved_by_a_code(
    running: Waymark, sam: Chat, botapi: StandInBotAPI
) -> None:
    world.add_coach(running)
    world.add_person(running)
    world.add_person(running, ref="IOM-0002", name="Alex")
    await sam.say(f"/start {world.invite(running)}", expect=3)
    alex_code = world.invite(running, "IOM-0002")
    assert await sam.say(f"/start {alex_code}") == [
        "This chat is already linked. If your coach gave you a new link, please tell them first."
    ]
    # Alex's code is untouched and still links Alex's own chat.
    alex = Chat(botapi, 7001)
    replies = await alex.say(f"/start {alex_code}", expect=3)
    assert replies[0].startswith("Hello Alex.")


async def test_an_unlinked_chat_learns_nothing(running: Waymark, botapi: StandInBotAPI) -> None:
    world.add_coach(running)
    world.add_person(running)
    nobody = Chat(botapi, 8001)
    unlinked = (
        "Hello. This chat is not linked to Waymark. "
        "Please ask your coach for your own link or code."
    )
    assert await nobody.say("hi") == [unlinked]
    assert await nobody.say("/start") == [unlinked]
    assert await nobody.say("/next") == [unlinked]
    assert "Sam" not in " ".join(nobody.texts())


async def test_wrong_codes_are_throttled(running: Waymark, botapi: StandInBotAPI) -> None:
    world.add_coach(running)
    world.add_person(running)
    guesser = Chat(botapi, 9001)
    for attempt in range(5):
        reply = await guesser.say(f"/start {'A' * 30}{attempt:02d}")
        assert reply[0].startswith("This link or code does not work.")
    code = world.invite(running)
    # Even a right code waits now: the chat has used up its tries.
    assert await guesser.say(f"/start {code}") == [
        "Too many tries. Please wait 15 minutes. Then ask your coach for a new link or code."
    ]
    running.clock.advance(minutes=16)  # type: ignore[attr-defined]
    assert len(await guesser.say(f"/start {code}", expect=3)) == 3


async def test_coach_links_their_own_chat_for_alerts(
    running: Waymark, botapi: StandInBotAPI
) -> None:
    world.add_coach(running)
    coach = Chat(botapi, 4001)
    assert await coach.say(f"/start {world.coach_invite(running)}") == [
        "Hello Priya. This chat will now get Waymark alerts for the people you support."
    ]
    assert await coach.say("/help") == [
        "This chat gets Waymark alerts only. Please use the dashboard or the command line."
    ]
