"""The dispatcher: claim due outbox rows, render each for its reader, send, record.

A claim is one atomic UPDATE (``FOR UPDATE SKIP LOCKED`` under it on PostgreSQL, inside
``BEGIN IMMEDIATE`` on SQLite) that marks rows ``sending`` with a lease and a token of its
own. A row whose lease ran out (its process died between the claim and the record) is
claimed again, so a restart loses nothing.

The fence: every write after the claim (sent, failed, pending again, stale, held,
skipped) is ``UPDATE ... WHERE id = ? AND status = 'sending' AND claim_token = ?``. A
worker whose claim was taken over finds no row to write, writes nothing else either
(no engagement, no "unreachable"), logs the row's id and moves on: it can never set a
row another worker sent back to pending. Delivery is at least once: a second send happens
only when a process dies inside the send call (the message went, its record did not),
or when a worker cannot renew its lease for a whole lease (the database unreachable).

The lease: renewed every third of SCHEDULER_CLAIM_LEASE_SECONDS for as long as the batch
is in hand, rather than made long enough up front. The longest wait is not one send's
(SEND_MAX_ATTEMPTS x (SEND_MAX_RETRY_AFTER + TELEGRAM_REQUEST_TIMEOUT), about 5 minutes
by default) but a batch's: rows of one chat queue behind each other at 1 a second and
behind each other's retries, so a lease computed to cover that would run to hours, and
the rows of a worker that died would wait that long for another. Renewed, a live worker
keeps its rows however long Telegram makes it wait, and a dead one's come back within
one lease.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from bot.channels.base import Rejected, SendError, Unreachable
from bot.channels.delivery import Delivery
from bot.domain.chat import ChatRef
from bot.domain.clock import Clock
from bot.models import OutboxMessage, OutboxStatus
from bot.rendering.outgoing import Rendered
from bot.services import outbox, sent
from bot.services.events import mark_unreachable
from bot.settings import SchedulerSettings
from bot.storage import UnitOfWorkFactory
from scheduler.preparing import TAKEN, Done, OutboxPreparer, Ready

log = logging.getLogger(__name__)
CONCURRENT_CHATS = 16
RENEWALS_PER_LEASE = 3  # two renewals can fail before the lease runs out


@dataclass
class TickReport:
    claimed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, status: str) -> None:
        self.counts[status] += 1


@dataclass(frozen=True)
class Claim:
    """Rows taken for sending, and the token every later write about them names."""

    token: str
    ids: list[int]


@dataclass(frozen=True)
class _Sent:
    message_id: str


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
        self._clock = clock
        self._deliveries = deliveries  # by channel name: each row goes by its chat's channel
        self._renderer = renderer
        self._settings = settings
        self._lease = timedelta(seconds=settings.claim_lease_seconds)
        # Seconds of real time between renewals of a claim's lease.
        self._renew_every = renew_every or settings.claim_lease_seconds / RENEWALS_PER_LEASE
        self._lock = asyncio.Lock()

    async def tick(self) -> TickReport:
        """Send everything due now; one tick at a time in this process."""
        async with self._lock:
            report = TickReport()
            while True:
                claim = await asyncio.to_thread(self.claim)
                if not claim.ids:
                    return report
                report.claimed += len(claim.ids)
                async with self._renewing(claim):
                    await self._send_batch(claim, report)

    def claim(self, limit: int | None = None) -> Claim:
        now = self._clock.now()
        due = or_(
            and_(
                col(OutboxMessage.status) == OutboxStatus.PENDING, col(OutboxMessage.due_at) <= now
            ),
            and_(
                col(OutboxMessage.status) == OutboxStatus.SENDING,
                col(OutboxMessage.claimed_until) < now,
            ),
        )
        token = uuid.uuid4().hex
        with self._uow() as uow:
            session = uow.session
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            eligible = (
                select(OutboxMessage.id)
                .where(due)
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

    @asynccontextmanager
    async def _renewing(self, claim: Claim) -> AsyncIterator[None]:
        """Keep the claim's lease from running out while its rows are in hand."""
        done = asyncio.Event()

        async def renew() -> None:
            while True:
                try:
                    await asyncio.wait_for(done.wait(), self._renew_every)
                    return
                except TimeoutError:
                    await asyncio.to_thread(self.renew, claim)

        renewer = asyncio.create_task(renew())
        try:
            yield
        finally:
            done.set()
            await renewer

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

    async def _send_batch(self, claim: Claim, report: TickReport) -> None:
        prepared = await asyncio.to_thread(self._renderer.prepare, claim.token, claim.ids)
        by_chat: dict[tuple[str, str], list[Ready]] = defaultdict(list)
        for item in prepared:
            if isinstance(item, Ready):
                by_chat[item.channel, item.chat_id].append(item)
            else:
                report.add(_done(item))
        limit = asyncio.Semaphore(CONCURRENT_CHATS)

        async def one_chat(items: list[Ready]) -> None:
            async with limit:
                for item in items:  # in order within a chat
                    report.add(await self._send_one(claim.token, item))

        await asyncio.gather(*(one_chat(items) for items in by_chat.values()))

    async def _send_one(self, token: str, item: Ready) -> str:
        delivery = self._deliveries.get(item.channel)
        if delivery is None:  # linked on Telegram, but no token is set
            outcome: _Sent | SendError = Rejected(f"no {item.channel} channel is configured")
            as_words = False
        else:
            message = await self._renderer.make(item)
            as_words = item.draft.fell_back(message)
            outcome = await self._try_send(delivery, item.chat_id, message)
        return await asyncio.to_thread(self._record, token, item, outcome, as_words)

    async def _try_send(
        self, delivery: Delivery, chat_id: str, message: Rendered
    ) -> _Sent | SendError:
        try:
            return _Sent((await delivery.send(chat_id, message)).message_id)
        except SendError as error:
            return error

    def _record(self, token: str, item: Ready, outcome: _Sent | SendError, as_words: bool) -> str:
        ids = {"outbox_id": item.row_id, "channel": item.channel}
        with self._uow() as uow:
            status = self._write(uow.session, token, item, outcome, as_words)
            if status is not None:
                uow.commit()
        if status is None:  # the lease ran out and another claim took the row
            result = "sent" if isinstance(outcome, _Sent) else "not sent"
            log.warning(
                "outbox row taken by another claim: nothing recorded",
                extra={**ids, "outcome": TAKEN, "send": result},
            )
            return TAKEN
        log.info("outbox row done", extra={**ids, "outcome": str(status)})
        return str(status)

    def _write(
        self,
        session: Session,
        token: str,
        item: Ready,
        outcome: _Sent | SendError,
        as_words: bool,
    ) -> OutboxStatus | None:
        """Record the outcome of the send; None (and nothing written) when the row is no
        longer this claim's."""
        settle = partial(outbox.settle, session, item.row_id, token)
        if isinstance(outcome, _Sent):
            if not outbox.mark_sent(session, self._clock, item.row_id, token, outcome.message_id):
                return None
            if item.draft.sent_id is not None:
                went = sent.Went(item.draft.sent_id, outcome.message_id, as_words)
                sent.delivered(session, [went])
            return OutboxStatus.SENT
        if isinstance(outcome, Unreachable):
            if not settle(OutboxStatus.FAILED, last_error="unreachable: blocked the bot"):
                return None
            mark_unreachable(session, self._clock, ChatRef(item.channel, item.chat_id))
            return OutboxStatus.FAILED
        row = session.get(OutboxMessage, item.row_id)
        attempts = row.attempts if row is not None else 0
        error = str(outcome)[:200]
        if isinstance(outcome, Rejected) or attempts >= self._settings.max_send_attempts:
            return OutboxStatus.FAILED if settle(OutboxStatus.FAILED, last_error=error) else None
        # Transient: try again later; a reminder past its time goes stale then.
        later = self._clock.now() + timedelta(seconds=self._settings.retry_delay_seconds)
        written = settle(OutboxStatus.PENDING, last_error=error, due_at=later)
        return OutboxStatus.PENDING if written else None


def _done(item: Done) -> str:
    """A row the preparer finished with (stale, skipped, held...) or found taken."""
    if item.status == TAKEN:
        log.warning("outbox row taken by another claim", extra={"outbox_id": item.row_id})
    else:
        log.info("outbox row done", extra={"outbox_id": item.row_id, "outcome": item.status})
    return item.status
