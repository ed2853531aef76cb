"""Two dispatchers and a slow Telegram, on every database and both frameworks: a send that
waits keeps its row (the lease is renewed), and a worker whose claim was taken over
(its lease ran out) writes nothing: it cannot set a row another worker sent back to
pending, or send it a third time."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from bot.composition import Waymark, build
from bot.models import EngagementEvent, OutboxMessage, OutboxStatus
from bot.services import outbox
from bot.storage import UnitOfWork, committed
from scheduler.dispatcher import Dispatcher
from scheduler.preparing import TAKEN, Done, OutboxPreparer
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat
from tests.support.database import ON_EVERY_DATABASE
from tests.support.fakes import FixedClock

pytestmark = ON_EVERY_DATABASE

STARTS = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
Worker = Callable[..., Awaitable[Dispatcher]]


@pytest.fixture
async def worker(onboarded: Waymark) -> AsyncIterator[Worker]:
    """Another `waymark serve` on the same database and bot: its dispatcher. Requests may
    wait on Telegram for 30 s here, so a held send is never cut short by its timeout."""
    async with AsyncExitStack() as stack:

        async def start(renew_every: float | None = None) -> Dispatcher:
            telegram = onboarded.settings.telegram.model_copy(update={"request_timeout": 30.0})
            settings = onboarded.settings.model_copy(update={"telegram": telegram})
            app = build(settings, clock=onboarded.clock, engine=onboarded.engine)
            await app.open()
            stack.push_async_callback(app.stop)
            assert app.delivery is not None
            deliveries = {"telegram": app.delivery, "webchat": app.webchat.delivery}
            preparer = OutboxPreparer(app.uow, app.clock, app.renderer, app.media)
            return Dispatcher(
                app.uow,
                app.clock,
                deliveries,
                preparer,
                settings.scheduler,
                renew_every=renew_every,
            )

        yield start


def _reminder(engine: Engine) -> OutboxMessage:
    with UnitOfWork(engine) as uow:
        rows = uow.session.exec(
            select(OutboxMessage).where(col(OutboxMessage.slot) == "evening-before")
        ).all()
    (row,) = rows
    return row


def _reminders_sent(sam: Chat) -> int:
    return sum("Sam, tomorrow" in text for text in sam.texts())


async def test_a_slow_worker_cannot_set_a_sent_row_back_to_pending(
    onboarded: Waymark,
    sam: Chat,
    botapi: StandInBotAPI,
    clock: FixedClock,
    worker: Worker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    world.add_appointment(onboarded, STARTS)
    clock.set(EVENING_BEFORE)
    slow, fast = await worker(), await worker()
    held = botapi.hold("sendMessage", chat_id=sam.chat_id)
    slow_tick = asyncio.create_task(slow.tick())
    await held.arrived.wait()  # the slow worker's send is with Telegram...
    # ...long past its lease (its renewals could not reach the database, say).
    clock.advance(seconds=onboarded.settings.scheduler.claim_lease_seconds + 1)
    assert (await fast.tick()).counts == {"sent": 1}
    sent = _reminder(onboarded.engine)
    # Then Telegram fails the slow worker's send, every try: it would put the row back.
    botapi.fail_next("sendMessage", 502, times=10, chat_id=sam.chat_id)
    with caplog.at_level(logging.INFO, logger="scheduler.dispatcher"):
        held.release()
        assert (await slow_tick).counts == {TAKEN: 1}

    row = _reminder(onboarded.engine)
    assert (row.status, row.last_error, row.attempts) == (OutboxStatus.SENT, None, 2)
    assert (row.sent_at, row.channel_message_id) == (sent.sent_at, sent.channel_message_id)
    (line,) = [r for r in caplog.records if getattr(r, "outcome", None) == TAKEN]
    assert (line.outbox_id, line.channel, line.levelname) == (row.id, "telegram", "WARNING")  # type: ignore[attr-defined]
    # Nothing comes back to be sent a third time.
    clock.advance(seconds=onboarded.settings.scheduler.retry_delay_seconds + 1)
    assert (await fast.tick()).claimed == (await slow.tick()).claimed == 0
    assert _reminders_sent(sam) == 1


async def test_the_slower_of_two_sends_records_nothing(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI, clock: FixedClock, worker: Worker
) -> None:
    """The only way to a second send: the lease ran out while the first was under way.
    The row is recorded once (its first record stands), and engagement counts one."""
    world.add_appointment(onboarded, STARTS)
    clock.set(EVENING_BEFORE)
    slow, fast = await worker(), await worker()
    held = botapi.hold("sendMessage", chat_id=sam.chat_id)
    slow_tick = asyncio.create_task(slow.tick())
    await held.arrived.wait()
    clock.advance(seconds=onboarded.settings.scheduler.claim_lease_seconds + 1)
    assert (await fast.tick()).counts == {"sent": 1}
    first = _reminder(onboarded.engine)
    held.release()
    assert (await slow_tick).counts == {TAKEN: 1}
    row = _reminder(onboarded.engine)
    assert (row.channel_message_id, row.sent_at) == (first.channel_message_id, first.sent_at)
    with committed(onboarded.uow) as uow:
        counted = uow.session.exec(
            select(EngagementEvent).where(EngagementEvent.kind == "message_sent")
        ).all()
    assert [e.detail["outbox_id"] for e in counted].count(row.id) == 1


async def test_a_send_waiting_on_telegram_keeps_its_row(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI, clock: FixedClock, worker: Worker
) -> None:
    """Telegram makes the send wait three leases (retry_after, say): the lease is renewed
    meanwhile, so no other worker takes the row and it is sent once."""
    world.add_appointment(onboarded, STARTS)
    clock.set(EVENING_BEFORE)
    slow, fast = await worker(renew_every=0.02), await worker()
    held = botapi.hold("sendMessage", chat_id=sam.chat_id)
    slow_tick = asyncio.create_task(slow.tick())
    await held.arrived.wait()
    clock.advance(seconds=3 * onboarded.settings.scheduler.claim_lease_seconds)
    await _lease_runs_past_now(onboarded.engine, clock)
    assert (await fast.tick()).claimed == 0
    held.release()
    assert (await slow_tick).counts == {"sent": 1}
    assert _reminder(onboarded.engine).status == OutboxStatus.SENT
    assert _reminders_sent(sam) == 1


async def _lease_runs_past_now(engine: Engine, clock: FixedClock) -> None:
    """Wait (at most 5 s) for the renewal that follows the clock's move."""
    for _ in range(250):
        claimed_until = _reminder(engine).claimed_until
        if claimed_until is not None and claimed_until > clock.now():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the lease of a send under way was not renewed")


@pytest.mark.parametrize(
    ("status", "values"),
    [
        (OutboxStatus.SENT, {"sent_at": EVENING_BEFORE, "channel_message_id": "1"}),
        (OutboxStatus.FAILED, {"last_error": "Bad Request"}),
        (OutboxStatus.PENDING, {"last_error": "Bad Gateway", "due_at": STARTS}),
        (OutboxStatus.STALE, {"last_error": "appointment has started"}),
        (OutboxStatus.SKIPPED, {"last_error": "paused"}),
        (OutboxStatus.CANCELLED, {"last_error": "appointment cancelled"}),
    ],
)
async def test_every_write_after_the_claim_needs_the_claim(
    site_waymark: Waymark, clock: FixedClock, status: OutboxStatus, values: dict[str, object]
) -> None:
    app = site_waymark
    world.add_coach(app)
    world.add_person(app)
    world.add_appointment(app, STARTS)
    clock.set(EVENING_BEFORE)
    other = build(app.settings, clock=clock, engine=app.engine)
    lost = await asyncio.to_thread(app.dispatcher.claim)
    clock.advance(seconds=app.settings.scheduler.claim_lease_seconds + 1)
    held = await asyncio.to_thread(other.dispatcher.claim)
    assert held.ids == lost.ids
    before = _reminder(app.engine)
    assert await asyncio.to_thread(app.dispatcher.renew, lost) == 0  # nor its lease
    with committed(app.uow) as uow:
        assert not outbox.settle(uow.session, lost.ids[0], lost.token, status, **values)
        uow.commit()
    assert _reminder(app.engine) == before  # sending, under the second claim
    assert (before.status, before.claim_token) == (OutboxStatus.SENDING, held.token)
    # Nor does the first claim prepare it (stale, skipped, held or ready to send).
    preparer = OutboxPreparer(app.uow, clock, app.renderer, app.media)
    prepared = await asyncio.to_thread(preparer.prepare, lost.token, lost.ids)
    assert prepared == [Done(lost.ids[0], TAKEN)]
    with committed(app.uow) as uow:
        assert outbox.settle(uow.session, held.ids[0], held.token, status, **values)
        uow.commit()
    assert _reminder(app.engine).status == status
