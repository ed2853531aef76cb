"""The dispatcher against a real database and each real Telegram framework (python-telegram-bot
and aiogram): atomic claims, restarts, stale and quiet reminders, and every Telegram fault."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from bot.composition import Waymark, build
from bot.domain.actor import Actor
from bot.models import Alert, ChannelLink, OutboxMessage, OutboxStatus, Person
from bot.services import appointments
from bot.storage import committed
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat
from tests.support.database import ON_EVERY_DATABASE
from tests.support.fakes import FixedClock

CLI = Actor.cli()  # the services audit every change; these are set up as the command line

pytestmark = ON_EVERY_DATABASE

STARTS = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def _rows(app: Waymark) -> list[OutboxMessage]:
    with committed(app.uow) as uow:
        return list(uow.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def _due_now(app: Waymark, count: int) -> None:
    """`count` people with an appointment whose evening-before reminder is due now."""
    world.add_coach(app, "other@waymark.test", "Other")
    for n in range(count):
        world.add_person(app, ref=f"IOM-9{n:03d}", coach="other@waymark.test")
        world.add_appointment(app, STARTS, ref=f"IOM-9{n:03d}")
    app.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]


async def test_two_dispatchers_never_claim_the_same_row(onboarded: Waymark) -> None:
    _due_now(onboarded, 20)
    other = build(onboarded.settings, clock=onboarded.clock, engine=onboarded.engine)
    claims = await asyncio.gather(
        *(
            asyncio.to_thread(app.dispatcher.claim, 7)
            for app in (onboarded, other, onboarded, other)
        )
    )
    await other.stop()
    claimed = [row_id for claim in claims for row_id in claim.ids]
    assert len(claimed) == len(set(claimed)) == 20  # every due row once, none twice


async def test_restart_between_claim_and_send_loses_nothing_and_sends_once(
    onboarded: Waymark, sam: Chat, clock: FixedClock
) -> None:
    world.add_appointment(onboarded, STARTS)
    clock.set(EVENING_BEFORE)
    claimed = await asyncio.to_thread(onboarded.dispatcher.claim)
    assert len(claimed.ids) == 1
    before = len(sam.sent())
    # The process dies here. A new one starts from the same database.
    restarted = build(onboarded.settings, clock=clock, engine=onboarded.engine)
    await restarted.open()
    try:
        assert (await restarted.dispatcher.tick()).claimed == 0  # the claim's lease holds
        clock.advance(seconds=onboarded.settings.scheduler.claim_lease_seconds + 1)
        assert (await restarted.dispatcher.tick()).counts == {"sent": 1}
        assert (await restarted.dispatcher.tick()).claimed == 0
    finally:
        await restarted.stop()
    await sam.wait_for_messages(before + 1)
    assert len(sam.sent()) == before + 1
    assert [r.attempts for r in _rows(onboarded) if r.status == OutboxStatus.SENT] == [2]


async def test_a_reminder_whose_appointment_started_is_stale(
    onboarded: Waymark, sam: Chat, clock: FixedClock
) -> None:
    world.add_appointment(onboarded, STARTS)
    before = len(sam.sent())
    clock.set(STARTS + timedelta(minutes=1))
    assert (await onboarded.dispatcher.tick()).counts == {"stale": 3}
    assert len(sam.sent()) == before
    assert {r.last_error for r in _rows(onboarded)} == {"appointment has started"}


async def test_moving_and_cancelling_replan(onboarded: Waymark, clock: FixedClock) -> None:
    appointment = world.add_appointment(onboarded, STARTS)
    assert appointment.id is not None
    with committed(onboarded.uow) as uow:
        appointments.move(uow, clock, appointment.id, STARTS + timedelta(days=1), actor=CLI)
    rows = _rows(onboarded)
    assert [r.status for r in rows].count(OutboxStatus.CANCELLED) == 3
    pending = [r.due_at for r in rows if r.status == OutboxStatus.PENDING]
    assert pending == [
        EVENING_BEFORE + timedelta(days=1),
        datetime(2026, 11, 26, 8, 0, tzinfo=UTC),
        datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
    ]
    with committed(onboarded.uow) as uow:
        appointments.cancel(uow, clock, appointment.id, actor=CLI)
    assert {r.status for r in _rows(onboarded)} == {OutboxStatus.CANCELLED}
    clock.set(EVENING_BEFORE + timedelta(days=1))
    assert (await onboarded.dispatcher.tick()).claimed == 0


async def test_quiet_hours_send_silently_when_they_cannot_wait(
    onboarded: Waymark, sam: Chat, clock: FixedClock
) -> None:
    with committed(onboarded.uow) as uow:
        person = uow.session.exec(select(Person)).one()
        person.quiet_from = "22:00"
        uow.session.add(person)
        uow.commit()
    # 06:45: the hour-before reminder (05:45) cannot move to 07:00, so it goes silently.
    world.add_appointment(onboarded, datetime(2026, 11, 25, 6, 45, tzinfo=UTC))
    clock.set(datetime(2026, 11, 25, 5, 45, tzinfo=UTC))
    before = len(sam.sent())
    # The evening-before one is overdue too (the bot was down): only the newest goes.
    assert (await onboarded.dispatcher.tick()).counts == {"sent": 1, "stale": 1}
    await sam.wait_for_messages(before + 1)
    assert sam.sent()[-1].params["disable_notification"] is True
    assert sam.texts()[-1].startswith("Soon 06:45, Camberwell\nSam, soon: Wednesday 25 November,")


async def test_a_late_evening_reminder_does_not_say_tomorrow_on_the_day(
    onboarded: Waymark, sam: Chat, clock: FixedClock
) -> None:
    world.add_appointment(onboarded, datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    clock.set(datetime(2026, 11, 25, 0, 30, tzinfo=UTC))  # down from 18:00 until 00:30
    before = len(sam.sent())
    assert (await onboarded.dispatcher.tick()).counts == {"sent": 1}
    await sam.wait_for_messages(before + 1)
    assert sam.texts()[-1].startswith("Today 09:00, Camberwell\nSam, today: Wednesday 25 Nov")


async def test_429_waits_retry_after_then_sends(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI, clock: FixedClock
) -> None:
    world.add_appointment(onboarded, STARTS)
    clock.set(EVENING_BEFORE)
    botapi.fail_next("sendMessage", 429, retry_after=1, chat_id=sam.chat_id)
    assert (await onboarded.dispatcher.tick()).counts == {"sent": 1}
    refused, accepted = botapi.calls_to("sendMessage")[-2:]
    assert (refused.status, accepted.status) == (429, 200)
    # It waited as long as Telegram asked (1 s), less the refusal's own trip back.
    assert accepted.time - refused.time >= 0.8


async def test_5xx_and_timeouts_are_retried(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI, clock: FixedClock
) -> None:
    world.add_appointment(onboarded, STARTS)
    clock.set(EVENING_BEFORE)
    botapi.fail_next("sendMessage", 500, times=2)
    assert (await onboarded.dispatcher.tick()).counts == {"sent": 1}
    statuses = [c.status for c in botapi.calls_to("sendMessage")][-3:]
    assert statuses == [500, 500, 200]

    clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    botapi.delay("sendMessage", onboarded.settings.telegram.request_timeout + 0.5)
    assert (await onboarded.dispatcher.tick()).counts == {"sent": 1}
    assert [r.status for r in _rows(onboarded)].count(OutboxStatus.SENT) == 2


async def test_failures_that_outlast_the_retries_come_back_later_then_fail(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI, clock: FixedClock
) -> None:
    world.add_appointment(onboarded, STARTS)
    clock.set(EVENING_BEFORE)
    settings = onboarded.settings
    botapi.fail_next("sendMessage", 502, times=settings.sending.max_attempts)
    assert (await onboarded.dispatcher.tick()).counts == {"pending": 1}
    (row,) = [r for r in _rows(onboarded) if r.slot == "evening-before"]
    assert row.due_at == EVENING_BEFORE + timedelta(seconds=settings.scheduler.retry_delay_seconds)
    assert row.last_error == "Bad Gateway"
    clock.advance(seconds=settings.scheduler.retry_delay_seconds)
    assert (await onboarded.dispatcher.tick()).counts == {"sent": 1}  # nothing was lost


async def test_blocked_bot_marks_the_person_unreachable_and_alerts_once(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI, clock: FixedClock
) -> None:
    world.add_appointment(onboarded, STARTS)
    botapi.block_chat(sam.chat_id)
    clock.set(EVENING_BEFORE)
    # The reminder fails; the coach's alert is skipped (their chat is not linked).
    assert (await onboarded.dispatcher.tick()).counts == {"failed": 1, "skipped": 1}
    assert len([c for c in botapi.calls_to("sendMessage") if c.status == 403]) == 1  # no retry
    clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    assert (await onboarded.dispatcher.tick()).counts == {"failed": 1}
    with committed(onboarded.uow) as uow:
        link = uow.session.exec(select(ChannelLink)).one()
        alerts = uow.session.exec(select(Alert)).all()
    assert link.unreachable_at == EVENING_BEFORE
    assert [a.kind for a in alerts] == ["unreachable"]
    # Writing to the bot again shows they are back.
    botapi.unblock_chat(sam.chat_id)
    await sam.say("/next")
    with committed(onboarded.uow) as uow:
        assert uow.session.exec(select(ChannelLink)).one().unreachable_at is None


async def test_someone_not_linked_is_skipped_with_the_reason(
    waymark: Waymark, clock: FixedClock
) -> None:
    world.add_coach(waymark)
    world.add_person(waymark)
    world.add_appointment(waymark, STARTS)
    clock.set(EVENING_BEFORE)
    assert (await waymark.dispatcher.tick()).counts == {"skipped": 1}
    (row, *_) = _rows(waymark)
    assert (row.status, row.last_error) == (OutboxStatus.SKIPPED, "no consent yet")


async def test_a_row_for_nobody_is_skipped_and_the_batch_still_goes(
    onboarded: Waymark, sam: Chat, clock: FixedClock
) -> None:
    """Bad data: an outbox row with neither a person nor a coach. It is closed with its
    reason, and the reminder claimed beside it still goes."""
    world.add_appointment(onboarded, STARTS)
    clock.set(EVENING_BEFORE)
    with committed(onboarded.uow) as uow:
        due = EVENING_BEFORE - timedelta(minutes=1)
        orphan = OutboxMessage(
            key="nudge:nobody", kind="nudge", content_key="nudge", due_at=due, created_at=due
        )
        uow.session.add(orphan)
        uow.commit()
    before = len(sam.sent())
    assert (await onboarded.dispatcher.tick()).counts == {"sent": 1, "skipped": 1}
    row = next(r for r in _rows(onboarded) if r.key == "nudge:nobody")
    assert (row.status, row.last_error) == (OutboxStatus.SKIPPED, "nobody to receive it")
    await sam.wait_for_messages(before + 1)
