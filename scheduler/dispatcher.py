"""The dispatcher: claim due outbox rows, render each for its reader, send, record.

A claim is one atomic UPDATE (``FOR UPDATE SKIP LOCKED`` under it on PostgreSQL, inside
``BEGIN IMMEDIATE`` on SQLite) that marks rows ``sending`` with a lease. A row whose lease
ran out (its process died between the claim and the record) is claimed again, so a
restart loses nothing; a row is only sent again if the process died inside the send.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import col, select

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
from scheduler.preparing import OutboxPreparer, Ready

log = logging.getLogger(__name__)
CONCURRENT_CHATS = 16


@dataclass
class TickReport:
    claimed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, status: str) -> None:
        self.counts[status] += 1


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
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._deliveries = deliveries  # by channel name: each row goes by its chat's channel
        self._renderer = renderer
        self._settings = settings
        self._lock = asyncio.Lock()

    async def tick(self) -> TickReport:
        """Send everything due now; one tick at a time in this process."""
        async with self._lock:
            report = TickReport()
            while True:
                ids = await asyncio.to_thread(self.claim)
                if not ids:
                    return report
                report.claimed += len(ids)
                await self._send_batch(ids, report)

    def claim(self, limit: int | None = None) -> list[int]:
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
            lease = now + timedelta(seconds=self._settings.claim_lease_seconds)
            claimed = (
                session.execute(
                    update(OutboxMessage)
                    .where(col(OutboxMessage.id).in_(eligible.scalar_subquery()))
                    .values(
                        status=OutboxStatus.SENDING,
                        claimed_until=lease,
                        attempts=col(OutboxMessage.attempts) + 1,
                    )
                    .returning(col(OutboxMessage.id)),
                    execution_options={"synchronize_session": False},
                )
                .scalars()
                .all()
            )
            uow.commit()
        return sorted(claimed)

    async def _send_batch(self, ids: list[int], report: TickReport) -> None:
        prepared = await asyncio.to_thread(self._renderer.prepare, ids)
        by_chat: dict[tuple[str, str], list[Ready]] = defaultdict(list)
        for item in prepared:
            if isinstance(item, Ready):
                by_chat[item.channel, item.chat_id].append(item)
            else:
                report.add(item.status)
        limit = asyncio.Semaphore(CONCURRENT_CHATS)

        async def one_chat(items: list[Ready]) -> None:
            async with limit:
                for item in items:  # in order within a chat
                    report.add(await self._send_one(item))

        await asyncio.gather(*(one_chat(items) for items in by_chat.values()))

    async def _send_one(self, item: Ready) -> str:
        delivery = self._deliveries.get(item.channel)
        if delivery is None:  # linked on Telegram, but no token is set
            outcome: _Sent | SendError = Rejected(f"no {item.channel} channel is configured")
            as_words = False
        else:
            message = await self._renderer.make(item)
            as_words = item.draft.fell_back(message)
            outcome = await self._try_send(delivery, item.chat_id, message)
        return await asyncio.to_thread(self._record, item, outcome, as_words)

    async def _try_send(
        self, delivery: Delivery, chat_id: str, message: Rendered
    ) -> _Sent | SendError:
        try:
            return _Sent((await delivery.send(chat_id, message)).message_id)
        except SendError as error:
            return error

    def _record(self, item: Ready, outcome: _Sent | SendError, as_words: bool) -> str:
        now = self._clock.now()
        with self._uow() as uow:
            row = uow.session.get(OutboxMessage, item.row_id)
            assert row is not None
            if isinstance(outcome, _Sent):
                outbox.mark_sent(uow.session, self._clock, row, outcome.message_id)
                if item.draft.sent_id is not None:
                    went = sent.Went(item.draft.sent_id, outcome.message_id, as_words)
                    sent.delivered(uow.session, [went])
            elif isinstance(outcome, Unreachable):
                row.status, row.last_error = OutboxStatus.FAILED, "unreachable: blocked the bot"
                mark_unreachable(uow.session, self._clock, ChatRef(item.channel, item.chat_id))
            elif isinstance(outcome, Rejected) or row.attempts >= self._settings.max_send_attempts:
                row.status, row.last_error = OutboxStatus.FAILED, str(outcome)[:200]
            else:  # transient: try again later; a reminder past its time goes stale then
                row.status, row.last_error = OutboxStatus.PENDING, str(outcome)[:200]
                row.due_at = now + timedelta(seconds=self._settings.retry_delay_seconds)
            row.claimed_until = None
            uow.session.add(row)
            uow.commit()
            log.info("outbox row done", extra={"outbox_id": row.id, "status": row.status})
            return str(row.status)
