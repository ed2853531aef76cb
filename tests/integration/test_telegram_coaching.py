"""The coaching between appointments over the real Telegram libraries: a check-in week,
a red mood with its alert, crisis words, a snoozed nudge, a nudge held back while
onboarding is under way, and a message to the coach with the coach's reply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from bot.composition import Waymark
from bot.models import Alert, EngagementEvent, OutboxMessage, OutboxStatus, Person
from bot.services import nudges, plans, schedules
from bot.storage import committed
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat
from tests.support.fakes import FixedClock

MONDAY_18 = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def _goal(app: Waymark, every: str = "mon,wed,fri 18:00") -> tuple[int, list[int]]:
    with committed(app.uow) as uow:
        goal = plans.add_goal(uow, app.clock, "IOM-0001", "Get a library card", "grow")
    assert goal.id is not None
    ids = []
    for text in (
        "Find the library on the map",
        "Bring a letter with your address",
        "Ask for the form at the desk",
    ):
        with committed(app.uow) as uow:
            step = plans.add_step(uow, app.clock, goal.id, text, None)
            assert step.id is not None
            ids.append(step.id)
    with committed(app.uow) as uow:
        plans.set_checkins(uow, app.clock, goal.id, every)
    return goal.id, ids


async def _tick_at(app: Waymark, moment: datetime) -> None:
    app.clock.set(moment)  # type: ignore[attr-defined]
    with committed(app.uow) as uow:
        schedules.plan_all(uow.session, app.clock)
        uow.commit()
    await app.dispatcher.tick()


def _alerts(app: Waymark) -> list[Alert]:
    with committed(app.uow) as uow:
        return list(uow.session.exec(select(Alert).order_by(col(Alert.id))).all())


async def test_a_check_in_week(onboarded: Waymark, sam: Chat) -> None:
    goal_id, (find, letter, form) = _goal(onboarded)
    before = len(sam.sent())
    await _tick_at(onboarded, MONDAY_18)
    await sam.wait_for_messages(before + 1)
    assert sam.texts()[-1] == (
        "A check-in on your goal.\n"
        "Your goal: Get a library card. Your step: Find the library on the map. How did it go?"
    )
    assert sam.last_buttons()[:4] == [
        f"ci:{find}:done",
        f"ci:{find}:some",
        f"ci:{find}:not_yet",
        f"ci:{find}:help",
    ]
    done = await sam.press(f"ci:{find}:done", expect=2)
    assert done[0] == "Well done.\nYour next step is: Bring a letter with your address"
    assert await sam.press(f"cf:{letter}:7") == ["Thank you. Your coach will see your answer."]

    await _tick_at(onboarded, MONDAY_18 + timedelta(days=2))  # Wednesday
    await sam.wait_for_messages(before + 5)
    assert "Your step: Bring a letter with your address." in sam.texts()[-1]
    not_yet = await sam.press(f"ci:{letter}:not_yet", expect=2)
    assert not_yet[0] == "That is OK. You can still do it. Small steps count."
    await sam.press(f"cf:{letter}:3")

    await _tick_at(onboarded, MONDAY_18 + timedelta(days=4))  # Friday
    await sam.wait_for_messages(before + 9)
    help_reply = await sam.press(f"ci:{letter}:help", expect=2)
    assert help_reply[0] == (
        "Thank you for telling us. I have told your coach. They will contact you."
    )
    assert [a.kind for a in _alerts(onboarded)] == ["checkin_help"]
    # The old Monday check-in cannot be answered again: its step is done.
    assert await sam.press_on(sam.message_with_button(f"cf:{letter}:0"), f"ci:{find}:done") == [
        "This check-in is old. Send /plan to see your steps."
    ]
    with committed(onboarded.uow) as uow:
        answers = [
            e.detail["answer"]
            for e in uow.session.exec(
                select(EngagementEvent).where(EngagementEvent.kind == "checkin")
            ).all()
        ]
    assert answers == ["done", "not_yet", "help"]
    plan = await sam.say("/plan")
    assert plan == [
        "Your goal: you did 1 of 3 steps.\n"
        "Get a library card. Next: Bring a letter with your address"
    ]
    with committed(onboarded.uow) as uow:
        statuses = {s.id: s.status for s in plans.steps(uow.session, goal_id)}
    assert statuses == {find: "done", letter: "todo", form: "todo"}  # help does not finish


async def test_red_mood_alerts_the_coach_at_once(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI
) -> None:
    coach = Chat(botapi, 4001)
    await coach.say(f"/start {world.coach_invite(onboarded)}")
    await sam.say("/mood")
    red = await sam.press("md:red", expect=3)
    assert red[0].startswith("Thank you for telling me. I have told your coach.")
    assert "116 123" in red[1]
    await coach.wait_for_messages(2)
    assert coach.texts()[-1].startswith("Waymark alert for IOM-0001: said red (not good) today.")
    (alert,) = _alerts(onboarded)
    assert (alert.kind, alert.urgent) == ("mood_red", True)
    assert await sam.press("qd:yes") == ["OK. For one day I will only send what matters most."]
    with committed(onboarded.uow) as uow:
        person = uow.session.exec(select(Person)).one()
    assert person.quiet_day_until == onboarded.clock.now() + timedelta(hours=24)


async def test_crisis_words_get_signposting_and_an_urgent_alert(
    onboarded: Waymark, sam: Chat
) -> None:
    replies = await sam.say("I can't go on like this", expect=2)
    assert replies[0] == (
        "I am worried about you. I have told your coach. Please talk to someone now."
    )
    assert "Samaritans" in replies[1]
    (alert,) = _alerts(onboarded)
    assert (alert.kind, alert.urgent) == ("crisis", True)
    assert await sam.say("I can't go on Monday, sorry") == [
        "I can only understand button taps. Send /help to see what I can do."
    ]


async def test_a_snoozed_nudge_moves_only_that_message(
    onboarded: Waymark, sam: Chat, clock: FixedClock
) -> None:
    with committed(onboarded.uow) as uow:
        nudge = nudges.add(
            uow,
            clock,
            "IOM-0001",
            text="Drink some water today.",
            at=datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
        )
    before = len(sam.sent())
    await _tick_at(onboarded, datetime(2026, 11, 23, 14, 0, tzinfo=UTC))
    await sam.wait_for_messages(before + 1)
    assert sam.texts()[-1] == "A message for you\nDrink some water today."
    (row,) = [r for r in _rows(onboarded) if r.key == f"nudge:{nudge.id}"]
    assert await sam.press(f"sz:{row.id}:evening") == ["OK. I will send it again this evening."]
    snoozed = [r for r in _rows(onboarded) if "~snooze@" in r.key]
    assert [(r.due_at, r.status) for r in snoozed] == [
        (datetime(2026, 11, 23, 19, 0, tzinfo=UTC), OutboxStatus.PENDING)
    ]
    await _tick_at(onboarded, datetime(2026, 11, 23, 19, 0, tzinfo=UTC))
    await sam.wait_for_messages(before + 3)
    assert sam.texts()[-1] == "A message for you\nDrink some water today."


async def test_a_nudge_waits_while_onboarding_is_under_way(
    running: Waymark, sam: Chat, clock: FixedClock
) -> None:
    world.add_coach(running)
    world.add_person(running)
    await sam.say(f"/start {world.invite(running)}", expect=3)
    await sam.press("ob:consent:agree")  # consent given, the questions still going
    with committed(running.uow) as uow:
        nudges.add(
            uow,
            clock,
            "IOM-0001",
            text="Drink some water today.",
            at=clock.now() + timedelta(minutes=1),
        )
    clock.advance(minutes=1)
    before = len(sam.sent())
    assert (await running.dispatcher.tick()).counts == {"deferred": 1}
    assert len(sam.sent()) == before  # never cuts in
    await sam.press("ob:format:words")
    await sam.press("ob:reminders:recommended")
    await sam.press("ob:quiet:quiet_none")
    await sam.press("ob:discreet:discreet_on", expect=2)
    await sam.press("ob:practice:coming", expect=2)
    clock.advance(minutes=11)  # the conversation has been quiet long enough
    assert (await running.dispatcher.tick()).counts == {"sent": 1}


async def test_talk_to_my_coach_and_the_reply(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI
) -> None:
    coach = Chat(botapi, 4001)
    await coach.say(f"/start {world.coach_invite(onboarded)}")
    assert await sam.say("/coach") == [
        "What do you want to tell your coach? Type it, or send a voice note."
    ]
    assert await sam.say("Can we meet at 3 instead?") == [
        "Thank you. I have sent it to your coach."
    ]
    await coach.wait_for_messages(2)
    assert coach.texts()[-1] == (
        "Waymark alert for IOM-0001: sent a message. Can we meet at 3 instead?"
    )
    with committed(onboarded.uow) as uow:
        nudges.reply(uow, onboarded.clock, "IOM-0001", "Yes, 3 is fine.")
    before = len(sam.sent())
    await onboarded.dispatcher.tick()
    await sam.wait_for_messages(before + 1)
    assert sam.texts()[-1] == "Priya says:\nYes, 3 is fine."


def _rows(app: Waymark) -> list[OutboxMessage]:
    with committed(app.uow) as uow:
        return list(uow.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


async def test_a_voice_note_for_the_coach_is_sent_on_by_its_file_id(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI
) -> None:
    coach = Chat(botapi, 4001)
    await coach.say(f"/start {world.coach_invite(onboarded)}")
    await sam.say("/coach")
    before = len(sam.sent())
    botapi.send_voice(sam.chat_id)
    await sam.wait_for_messages(before + 1)
    assert sam.texts()[-1] == "Thank you. I have sent it to your coach."
    await coach.wait_for_messages(3)
    voice, alert = coach.sent()[-2:]
    assert alert.params["text"] == "Waymark alert for IOM-0001: sent a message. voice note"
    assert voice.method == "sendVoice"
    assert voice.params["caption"] == "Voice note from IOM-0001:"
    # Sent by the file id of Sam's own voice note (the stand-in refuses ids it never
    # issued), with nothing uploaded again.
    assert isinstance(voice.params["voice"], str)
    assert voice.status == 200
    assert voice.files == {}


async def test_a_nudge_in_quiet_hours_waits_for_the_morning(
    onboarded: Waymark, sam: Chat, clock: FixedClock
) -> None:
    with committed(onboarded.uow) as uow:
        person = uow.session.exec(select(Person)).one()
        person.quiet_from = "22:00"
        uow.session.add(person)
        uow.commit()
    late = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)
    with committed(onboarded.uow) as uow:
        nudge = nudges.add(uow, clock, "IOM-0001", text="Sleep well.", at=late)
    before = len(sam.sent())
    await _tick_at(onboarded, late)
    assert len(sam.sent()) == before
    (row,) = [r for r in _rows(onboarded) if r.key == f"nudge:{nudge.id}"]
    assert (row.status, row.due_at) == (
        OutboxStatus.PENDING,
        datetime(2026, 11, 24, 7, 0, tzinfo=UTC),
    )
    await _tick_at(onboarded, datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
    await sam.wait_for_messages(before + 1)
    assert sam.texts()[-1] == "A message for you\nSleep well."
