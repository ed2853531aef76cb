"""/stop, "delete my data" and /start over each real Telegram framework: what the person
sees, what is recorded (the consent history, the coach's alert, the admin's task), and
that nothing is sent to them while they are paused."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select

from bot.composition import Waymark
from bot.models import Alert, ConsentEvent, OutboxMessage, OutboxStatus
from bot.services import erasure_requests
from tests.support import world
from tests.support.chat import Chat

STARTS = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
MEDIA_LABELS = ["🔊 Read it to me", "🖼 Show me"]
STOPPED = "OK. I have stopped. Send /start when you want messages again."


def _consents(app: Waymark) -> list[tuple[str, str, str]]:
    with app.uow() as uow:
        rows = uow.session.exec(select(ConsentEvent).order_by(col(ConsentEvent.id))).all()
        return [(row.purpose, row.decision, row.via) for row in rows]


def _alerts(app: Waymark) -> list[str]:
    with app.uow() as uow:
        return [a.kind for a in uow.session.exec(select(Alert).order_by(col(Alert.id))).all()]


async def test_stop_pauses_everything_records_it_tells_the_coach_and_start_undoes_it(
    onboarded: Waymark, sam: Chat
) -> None:
    assert await sam.say("/stop") == [
        "Do you want me to stop sending messages? You can send /start to turn them on again."
    ]
    assert sam.last_labels() == [
        "⏸ Yes, stop",
        "▶ No, keep going",
        "🗑 Delete my data",
        *MEDIA_LABELS,
    ]

    assert await sam.press("st:yes") == [STOPPED]

    assert world.person(onboarded).paused
    assert _consents(onboarded)[-1] == ("service", "withdrawn", "bot")
    assert _alerts(onboarded) == ["stopped"]

    world.add_appointment(onboarded, STARTS)
    onboarded.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]
    before = len(sam.sent())
    await onboarded.dispatcher.tick()
    assert len(sam.sent()) == before  # paused: the reminder does not go
    with onboarded.uow() as uow:
        reminder = uow.session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "reminder")
        ).first()
    assert reminder is not None
    assert (reminder.status, reminder.last_error) == (OutboxStatus.SKIPPED, "paused")

    assert await sam.say("/start") == ["Welcome back, Sam. Your messages are on again."]
    assert not world.person(onboarded).paused
    assert _consents(onboarded)[-1] == ("service", "given", "bot")


async def test_delete_my_data_confirms_then_stops_messages_and_gives_an_admin_a_task(
    onboarded: Waymark, sam: Chat
) -> None:
    await sam.say("/stop")

    assert await sam.press("dd:ask") == [
        "Do you want us to delete your data? Your messages will stop now. "
        "Your coach will talk to you about it."
    ]
    assert sam.last_labels() == ["🗑 Yes, delete it", "↩ No, keep it", *MEDIA_LABELS]
    assert await sam.press("dd:yes") == [
        "OK. I have told your coach and the team. Your messages have stopped. "
        "Your coach will talk to you soon."
    ]

    assert world.person(onboarded).paused
    assert _consents(onboarded)[-1] == ("service", "withdrawn", "bot")
    assert _alerts(onboarded) == ["delete_request"]
    with onboarded.uow() as uow:
        waiting = erasure_requests.waiting(uow.session)
    assert [w.ref for w in waiting] == ["IOM-0001"]
    assert await sam.say("hello") == [
        "Your messages are paused. Send /start to turn them on again."
    ]
