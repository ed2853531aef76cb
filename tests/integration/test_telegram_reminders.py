"""The whole loop: a coach plans an appointment, the reminder reaches the phone over each
real Telegram framework, and each button does what it says. Runs on every database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select

from bot.composition import Waymark
from bot.domain.actor import Actor
from bot.models import Alert, Appointment, EngagementEvent, OutboxMessage, OutboxStatus
from bot.services import appointments
from bot.storage import committed
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat
from tests.support.database import ON_EVERY_DATABASE
from tests.support.fakes import FixedClock

CLI = Actor.cli()  # the services audit every change; these are set up as the command line

pytestmark = ON_EVERY_DATABASE

# Wednesday 25 November 2026, 10:00 in London (GMT, so 10:00 UTC).
STARTS = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
REMINDER = (  # the first line is all a lock screen shows: discreet
    "Tomorrow 10:00, Camberwell\n"
    "Sam, tomorrow: Wednesday 25 November, 10:00, Camberwell Office, "
    "45 Camberwell Road. You will see Jo."
)


async def _evening_reminder(app: Waymark, sam: Chat) -> int:
    appointment = world.add_appointment(app, STARTS)
    assert appointment.id is not None
    app.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]
    before = len(sam.sent())
    report = await app.dispatcher.tick()
    assert report.counts == {"sent": 1}
    await sam.wait_for_messages(before + 1)
    return appointment.id


async def test_reminder_arrives_in_order_with_buttons(onboarded: Waymark, sam: Chat) -> None:
    appointment_id = await _evening_reminder(onboarded, sam)
    assert sam.texts()[-1] == REMINDER
    assert sam.last_labels() == [
        "✅ I am coming",
        "⏰ Running late",
        "❌ I can't come",
        "🗺 How do I get there",
        "📅 Add to calendar",
        "🔊 Read it to me",
        "🖼 Show me",
    ]
    assert sam.last_buttons()[0] == f"ap:{appointment_id}:1:coming"
    assert sam.last_buttons()[4] == f"ap:{appointment_id}:1:calendar"
    call = sam.sent()[-1]
    assert not call.params.get("disable_notification")
    with committed(onboarded.uow) as uow:
        row = uow.session.exec(
            select(OutboxMessage).where(OutboxMessage.slot == "evening-before")
        ).one()
        sent_event = uow.session.exec(
            select(EngagementEvent).where(EngagementEvent.kind == "message_sent")
        ).one()
    assert row.status == OutboxStatus.SENT
    assert row.channel_message_id == str(sam.botapi.last_message(sam.chat_id)["message_id"])  # type: ignore[index]
    assert sent_event.appointment_id == appointment_id


async def test_coming_is_recorded_and_the_buttons_close(onboarded: Waymark, sam: Chat) -> None:
    appointment_id = await _evening_reminder(onboarded, sam)
    assert await sam.press(f"ap:{appointment_id}:1:coming") == ["Thank you. See you there."]
    reminder = sam.botapi.messages(sam.chat_id)[-2]
    assert reminder["text"] == f"{REMINDER}\n\nYou said: ✅ I am coming"
    assert not (reminder.get("reply_markup") or {}).get("inline_keyboard")
    with committed(onboarded.uow) as uow:
        appointment = uow.session.get(Appointment, appointment_id)
        alerts = uow.session.exec(select(Alert)).all()
    assert appointment is not None
    assert appointment.confirmation == "coming"
    assert alerts == []


async def test_late_cant_come_and_lost_alert_the_coach_at_once(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI
) -> None:
    coach = Chat(botapi, 4001)
    await coach.say(f"/start {world.coach_invite(onboarded)}")
    appointment_id = await _evening_reminder(onboarded, sam)

    (directions,) = await sam.press(f"ap:{appointment_id}:1:directions")
    assert directions.startswith("How to get to Camberwell:\nCamberwell Office, 45 Camberwell")
    # Still able to say whether they are coming, from the answer's own buttons.
    assert sam.last_buttons()[:4] == [
        f"ap:{appointment_id}:1:{a}" for a in ("coming", "late", "cant_come", "calendar")
    ]
    assert [data.rsplit(":", 1)[0] for data in sam.last_buttons()[4:]] == [
        "md:voice",
        "md:pictures",
    ]
    await coach.wait_for_messages(2)
    assert coach.texts()[-1] == "Waymark alert for IOM-0001: asked how to get there. "

    assert await sam.press(f"ap:{appointment_id}:1:late") == [
        "Thank you for telling us. I have told your coach that you are running late."
    ]
    await coach.wait_for_messages(3)
    assert coach.texts()[-1].startswith("Waymark alert for IOM-0001: running late.")
    assert "Sam" not in " ".join(coach.texts()[1:])  # only the reference travels

    with committed(onboarded.uow) as uow:
        kinds = [a.kind for a in uow.session.exec(select(Alert).order_by(col(Alert.id))).all()]
        appointment = uow.session.get(Appointment, appointment_id)
    assert kinds == ["lost", "late"]
    assert appointment is not None
    assert appointment.confirmation == "late"


async def test_cant_come_without_a_linked_coach_still_lands_in_alerts(
    onboarded: Waymark, sam: Chat
) -> None:
    appointment_id = await _evening_reminder(onboarded, sam)
    assert await sam.press(f"ap:{appointment_id}:1:cant_come") == [
        "Thank you for telling us. I have told your coach. They will contact you about a new time."
    ]
    await onboarded.dispatcher.tick()
    with committed(onboarded.uow) as uow:
        (alert,) = uow.session.exec(select(Alert)).all()
        row = uow.session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "coach_alert")
        ).one()
    assert alert.kind == "cant_come"
    assert (row.status, row.last_error) == (OutboxStatus.SKIPPED, "coach not linked")


async def test_a_button_of_a_moved_appointment_is_stale(onboarded: Waymark, sam: Chat) -> None:
    appointment_id = await _evening_reminder(onboarded, sam)
    with committed(onboarded.uow) as uow:
        appointments.move(
            uow,
            onboarded.clock,
            appointment_id,
            datetime(2026, 11, 26, 10, 0, tzinfo=UTC),
            actor=CLI,
        )
    assert await sam.press(f"ap:{appointment_id}:1:coming") == [
        "This reminder is old. Send /next to see your next appointment."
    ]
    with committed(onboarded.uow) as uow:
        appointment = uow.session.get(Appointment, appointment_id)
    assert appointment is not None
    assert appointment.confirmation is None


async def test_next_help_and_stop(onboarded: Waymark, sam: Chat) -> None:
    assert await sam.say("/next") == [
        "You have no appointments planned. Your coach will tell you when there is one."
    ]
    world.add_appointment(onboarded, STARTS)
    assert await sam.say("/next") == [
        "Next: Wednesday 25 November, 10:00, Camberwell\n"
        "Your next appointment: Wednesday 25 November, 10:00, Camberwell Office, "
        "45 Camberwell Road. You will see Jo."
    ]
    help_text, signposting = await sam.say("/help", expect=2)
    assert "Your coach is Priya." in help_text
    for number in ("116 123", "NHS 111", "999", "GP"):
        assert number in signposting

    assert await sam.say("/stop") == [
        "Do you want me to stop sending messages? You can send /start to turn them on again."
    ]
    assert await sam.press("st:yes") == [
        "OK. I have stopped. Send /start when you want messages again."
    ]
    onboarded.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]
    report = await onboarded.dispatcher.tick()
    assert report.counts == {"skipped": 1}  # paused: nothing goes
    assert await sam.say("/start") == ["Welcome back, Sam. Your messages are on again."]
    assert (await sam.say("/stop"))[0].startswith("Do you want me to stop")
    assert await sam.press("st:no") == ["OK. I will keep going."]


async def test_missed_appointment_gets_a_kind_follow_up(onboarded: Waymark, sam: Chat) -> None:
    appointment = world.add_appointment(onboarded, STARTS)
    assert appointment.id is not None
    clock: FixedClock = onboarded.clock  # type: ignore[assignment]
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    report = await onboarded.dispatcher.tick()
    assert report.counts == {"stale": 3}  # the reminders' moments passed unsent
    with committed(onboarded.uow) as uow:
        appointments.record_outcome(uow, clock, appointment.id, "missed", actor=CLI)
    before = len(sam.sent())
    await onboarded.dispatcher.tick()
    await sam.wait_for_messages(before + 1)
    assert sam.texts()[-1] == (
        "Sam, we missed you on Wednesday 25 November. That is OK.\n"
        "It was at Camberwell Office, 45 Camberwell Road. "
        "Your coach will contact you to plan what to do now."
    )
    with committed(onboarded.uow) as uow:  # recording it again sends nothing more
        appointments.record_outcome(uow, clock, appointment.id, "missed", actor=CLI)
    assert (await onboarded.dispatcher.tick()).claimed == 0
