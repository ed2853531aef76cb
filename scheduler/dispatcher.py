"""The dispatcher: claim due outbox rows, render each for its reader, send, record.

A claim is one atomic UPDATE (``FOR UPDATE SKIP LOCKED`` under it on PostgreSQL, inside
``BEGIN IMMEDIATE`` on SQLite) that marks rows ``sending`` with a lease and a token of its
own. A row whose lease ran out (its process died between the claim and the record) is
claimed again, so a restart loses nothing. Every write after the claim names the token
(scheduler/recording.py, scheduler/preparing.py): a worker whose claim was taken over
writes nothing. Delivery is at least once: a second send happens only when a process
dies inside the send call (the message went, its record did not), or when a worker
cannot renew its lease for a whole lease (the database unreachable).

A tick is a pipeline, not a batch: rows are claimed as room frees up (at most
`MAX_IN_HAND` held at once), prepared one claim at a time (one transaction for the
claim's renders), handed each to its chat's lane (scheduler/lanes.py), sent when the
limiter gives the chat its turn, and recorded as they come back (scheduler/recording.py).
A chat that waits (a 429, a retry, a hung request) holds up only itself. The tick ends
when nothing is due and nothing is in hand; while rows are in hand it also claims rows
that fall due meanwhile, or that a poke announces (an alert was raised).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from bot.channels.base import Rejected, SendError, Transient
from bot.channels.delivery import Delivery
from bot.domain.clock import Clock
from bot.models import OutboxMessage, OutboxStatus
from bot.rendering.outgoing import Rendered
from bot.settings import SchedulerSettings
from bot.storage import UnitOfWorkFactory
from scheduler.lanes import Lanes
from scheduler.leases import RENEWALS_PER_LEASE, Claim, InHand, renewing
from scheduler.preparing import TAKEN, Done, OutboxPreparer, Ready
from scheduler.recording import Outcome, Recorder, Sent

log = logging.getLogger(__name__)
MIN_NAP = 0.05  # seconds: the shortest wait for a row due now that could not be claimed
__all__ = ["Claim", "Dispatcher", "TickReport"]


@dataclass
class TickReport:
    claimed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, status: str) -> None:
        self.counts[status] += 1


class Dispatcher:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        deliveries: Mapping[str, Delivery],
        renderer: OutboxPreparer,
        settings: SchedulerSettings,
        *,
        renew_every: float | None = None,
    ) -> None:
        self._uow = uow
        self.clock = self._clock = clock
        self._deliveries = deliveries  # by channel name: each row goes by its chat's channel
        self._renderer = renderer
        self._settings = settings
        self._lease = timedelta(seconds=settings.claim_lease_seconds)
        # Seconds of real time between renewals of a claim's lease.
        self._renew_every = renew_every or settings.claim_lease_seconds / RENEWALS_PER_LEASE
        self.max_in_hand = 2 * settings.batch_size
        self._lock = asyncio.Lock()
        self._poked = asyncio.Event()

    def poke(self) -> None:
        """Rows may have fallen due (an alert was raised): a tick under way claims again."""
        self._poked.set()

    async def tick(self) -> TickReport:
        """Send everything due now, and what falls due while rows are still in hand; one
        tick at a time in this process."""
        async with self._lock:
            return await _Tick(self).run()

    def claim(self, limit: int | None = None, in_hand: Collection[int] = ()) -> Claim:
        """Take up to `limit` due rows, none of `in_hand` (rows this worker holds: their
        lease is being renewed, however late the clock says it is)."""
        now = self._clock.now()
        token = uuid.uuid4().hex
        with self._uow() as uow:
            session = uow.session
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            eligible = (
                select(OutboxMessage.id)
                .where(_due(now))
                .where(col(OutboxMessage.id).not_in(in_hand))
                .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
                .limit(limit or self._settings.batch_size)
            )
            if session.get_bind().dialect.name == "postgresql":
                eligible = eligible.with_for_update(skip_locked=True)
            claimed = (
                session.execute(
                    update(OutboxMessage)
                    .where(col(OutboxMessage.id).in_(eligible.scalar_subquery()))
                    .values(
                        status=OutboxStatus.SENDING,
                        claimed_until=now + self._lease,
                        claim_token=token,
                        attempts=col(OutboxMessage.attempts) + 1,
                    )
                    .returning(col(OutboxMessage.id)),
                    execution_options={"synchronize_session": False},
                )
                .scalars()
                .all()
            )
            uow.commit()
        return Claim(token, sorted(claimed))

    def next_due(self, in_hand: Collection[int] = ()) -> datetime | None:
        """When the next row falls due: a pending row's due time, or the end of a lease
        that may run out (a worker that died; not one of `in_hand`). None when nothing
        waits."""
        with self._uow() as uow:
            session = uow.session
            # A read: on SQLite it need not wait for a writer (a record under way).
            session.connection(execution_options={"sqlite_begin": "DEFERRED"})
            pending = session.exec(
                select(func.min(OutboxMessage.due_at)).where(
                    col(OutboxMessage.status) == OutboxStatus.PENDING
                )
            ).one()
            leased = session.exec(
                select(func.min(OutboxMessage.claimed_until))
                .where(col(OutboxMessage.status) == OutboxStatus.SENDING)
                .where(col(OutboxMessage.id).not_in(in_hand))
            ).one()
        times = [t for t in (pending, leased) if t is not None]
        return min(times) if times else None

    def renew(self, claim: Claim) -> int:
        """Move the lease of the claim's rows not yet recorded to a lease from now.

        A row locked this moment (its record or its preparing is being written) is left
        to the next renewal rather than waited for: waiting could deadlock with a unit of
        work that writes several of the claim's rows."""
        mine = (
            select(OutboxMessage.id)
            .where(col(OutboxMessage.id).in_(claim.ids))
            .where(col(OutboxMessage.status) == OutboxStatus.SENDING)
            .where(col(OutboxMessage.claim_token) == claim.token)
        )
        try:
            with self._uow() as uow:
                if uow.session.get_bind().dialect.name == "postgresql":
                    mine = mine.with_for_update(skip_locked=True)
                result = uow.session.exec(
                    update(OutboxMessage)
                    .where(col(OutboxMessage.id).in_(mine.scalar_subquery()))
                    .values(claimed_until=self._clock.now() + self._lease),
                    execution_options={"synchronize_session": False},
                )
                uow.commit()
        except SQLAlchemyError as error:  # the next renewal tries again
            log.warning("outbox lease not renewed", extra={"error": type(error).__name__})
            return 0
        return int(result.rowcount)

    async def send(self, token: str, item: Ready) -> Outcome:
        """Make the row's card or voice note and send it; any failure is an outcome."""
        delivery = self._deliveries.get(item.channel)
        if delivery is None:  # linked on Telegram, but no token is set
            return Outcome(token, item, Rejected(f"no {item.channel} channel is configured"))
        try:
            message = await self._renderer.make(item)
            as_words = item.draft.fell_back(message)
            return Outcome(token, item, await _try_send(delivery, item.chat_id, message), as_words)
        except Exception as error:  # a bug must not stop the lane: the row is tried again
            log.exception("outbox row not sent", extra={"outbox_id": item.row_id})
            return Outcome(token, item, Transient(f"not sent: {type(error).__name__}"))


async def _try_send(delivery: Delivery, chat_id: str, message: Rendered) -> Sent | SendError:
    try:
        return Sent((await delivery.send(chat_id, message)).message_id)
    except SendError as error:
        return error


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(col(OutboxMessage.status) == OutboxStatus.PENDING, col(OutboxMessage.due_at) <= now),
        and_(
            col(OutboxMessage.status) == OutboxStatus.SENDING,
            col(OutboxMessage.claimed_until) < now,
        ),
    )


class _Tick:
    """One tick's pipeline: claims feed the lanes, the lanes feed the recorder, and the
    rows in hand are renewed until recorded."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self._d = dispatcher
        self.report = TickReport()
        self._in_hand = InHand()
        self._lanes: Lanes[tuple[str, Ready]] = Lanes(self._send)
        self._recorder = Recorder(
            dispatcher._uow, dispatcher._clock, dispatcher._settings, self._recorded
        )

    async def run(self) -> TickReport:
        d = self._d
        try:
            async with renewing(self._in_hand, d.renew, d._renew_every):
                await self._pump()
        finally:
            await self._lanes.close()
            await self._recorder.close()
        return self.report

    async def _pump(self) -> None:
        d, in_hand = self._d, self._in_hand
        more = True  # rows may be due that are not claimed yet
        wake_at: float | None = None  # loop time of the next due row, when none is due now
        loop = asyncio.get_running_loop()
        while True:
            in_hand.changed.clear()
            if d._poked.is_set() or self._recorder.unreachable:
                d._poked.clear()
                self._recorder.unreachable = False
                more = True
            if wake_at is not None and loop.time() >= wake_at:
                more, wake_at = True, None
            room = d.max_in_hand - in_hand.count
            if more and room > 0:
                limit = min(d._settings.batch_size, room)
                claim = await asyncio.to_thread(d.claim, limit, in_hand.ids())
                more = len(claim.ids) == limit
                if claim.ids:
                    await self._take(claim)
                    continue
            if in_hand.count == 0 and not more:
                return
            if not more and wake_at is None:
                wake_at = loop.time() + await self._until_next_due()
            timeout = None if wake_at is None else max(0.0, wake_at - loop.time())
            await _first(in_hand.changed, d._poked, timeout)

    async def _until_next_due(self) -> float:
        """Seconds until a row falls due, at most a sweep's (SCHEDULER_TICK_SECONDS)."""
        d = self._d
        due = await asyncio.to_thread(d.next_due, self._in_hand.ids())
        sweep = d._settings.tick_seconds
        if due is None:
            return sweep
        return min(max((due - d._clock.now()).total_seconds(), MIN_NAP), sweep)

    async def _take(self, claim: Claim) -> None:
        self.report.claimed += len(claim.ids)
        self._in_hand.add(claim)
        prepared = await asyncio.to_thread(self._d._renderer.prepare, claim.token, claim.ids)
        for item in prepared:
            if isinstance(item, Done):
                self.report.add(_done(item))
                self._in_hand.release(claim.token, item.row_id)
            else:
                self._lanes.put((item.channel, item.chat_id), (claim.token, item))

    async def _send(self, job: tuple[str, Ready]) -> None:
        self._recorder.put(await self._d.send(*job))

    def _recorded(self, outcome: Outcome, status: str) -> None:
        self.report.add(status)
        self._in_hand.release(outcome.token, outcome.item.row_id)


async def _first(changed: asyncio.Event, poked: asyncio.Event, seconds: float | None) -> None:
    """Wait until a row is let go of, a poke, or `seconds`."""
    waits = [asyncio.ensure_future(changed.wait()), asyncio.ensure_future(poked.wait())]
    try:
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiting in waits:
            waiting.cancel()


def _done(item: Done) -> str:
    """A row the preparer finished with (stale, skipped, held...) or found taken."""
    if item.status == TAKEN:
        log.warning("outbox row taken by another claim", extra={"outbox_id": item.row_id})
    else:
        log.info("outbox row done", extra={"outbox_id": item.row_id, "outcome": item.status})
    return item.status
