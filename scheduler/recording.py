"""Recording what became of each send, many in one transaction, each fenced by its claim.

A send's outcome is handed to the recorder the moment the send returns. The recorder
writes whatever has come in, in one unit of work, as soon as it is free: while one
transaction is being written the next outcomes gather, so under load a commit carries
many rows and when it is quiet it carries one. Nothing waits for a batch to fill or for
a timer, so the time between a send and its record (the window in which a crash means
a second send) is no longer than with one transaction a row.

The fence: each row's write happens only while the row is still ``sending`` under the
claim that sent it (bot/services/outbox.py ``settle``). A worker whose claim was taken
over writes nothing about that row (no engagement, no "unreachable"), logs its id and
moves on. When a batch fails, its rows are written one by one, so one bad row cannot
hold back the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import partial

from sqlmodel import Session

from bot.channels.base import Rejected, SendError, Unreachable
from bot.domain.chat import ChatRef
from bot.domain.clock import Clock
from bot.models import OutboxMessage, OutboxStatus
from bot.services import outbox
from bot.services.events import mark_unreachable
from bot.settings import SchedulerSettings
from bot.storage import UnitOfWorkFactory
from scheduler import sent_rows
from scheduler.preparing import TAKEN, Ready

log = logging.getLogger("scheduler.dispatcher")
NOT_RECORDED = "not recorded"  # the database refused the write: the lease brings it back
RECORD_TRIES = 5  # a refused record is tried again after 1, 2, 4, 8 s: the row stays in hand


@dataclass(frozen=True)
class Sent:
    message_id: str


@dataclass(frozen=True)
class Outcome:
    """What one send of a claimed row came to."""

    token: str
    item: Ready
    result: Sent | SendError
    as_words: bool = False  # its card or voice note could not be made: its words went
    tries: int = 1


class Recorder:
    """Writes outcomes as they come, in as few transactions as the database allows, and
    calls `done(outcome, status)` for each once it is written (or found taken)."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        settings: SchedulerSettings,
        done: Callable[[Outcome, str], None],
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._settings = settings
        self._done = done
        self._waiting: list[Outcome] = []
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._later: set[asyncio.TimerHandle] = set()
        self.unreachable = False  # an "unreachable" was recorded: an alert may be due

    def put(self, outcome: Outcome) -> None:
        self._waiting.append(outcome)
        self._arrived.set()
        if self._task is None:
            self._task = asyncio.create_task(self._run())

    async def close(self) -> None:
        """Stop; outcomes not yet written stay unwritten (their rows come back after
        their lease, as after a crash)."""
        for handle in self._later:
            handle.cancel()
        self._later.clear()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            await self._arrived.wait()
            self._arrived.clear()
            batch, self._waiting = self._waiting, []
            try:
                statuses = await asyncio.to_thread(self.write, batch)
            except Exception:  # written by nobody: each row is tried again below
                log.exception("outbox rows not recorded", extra={"rows": len(batch)})
                statuses = [NOT_RECORDED] * len(batch)
            for outcome, status in zip(batch, statuses, strict=True):
                if status == NOT_RECORDED and outcome.tries < RECORD_TRIES:
                    self._try_again(outcome)
                else:
                    self._done(outcome, status)

    def _try_again(self, outcome: Outcome) -> None:
        """The database refused the record (it is restarting, say): the row stays in hand
        and its lease renewed, and the record is tried again, rather than let the lease
        run out and the row be sent a second time."""
        again = replace(outcome, tries=outcome.tries + 1)

        def put() -> None:
            self._later.discard(handle)
            self.put(again)

        handle = asyncio.get_running_loop().call_later(2.0 ** (outcome.tries - 1), put)
        self._later.add(handle)

    def write(self, batch: list[Outcome]) -> list[str]:
        """Each outcome's status as written, TAKEN where the row had gone to another
        claim, NOT_RECORDED where the database refused even the row on its own."""
        try:
            with self._uow() as uow:
                session = uow.session
                went = sent_rows.mark_sent(
                    session,
                    self._clock.now(),
                    [
                        sent_rows.Went(
                            o.item.row_id, o.token, o.result.message_id, o.item.draft, o.as_words
                        )
                        for o in batch
                        if isinstance(o.result, Sent)
                    ],
                )
                statuses = [
                    (OutboxStatus.SENT if o.item.row_id in went else None)
                    if isinstance(o.result, Sent)
                    else self._write(session, o)
                    for o in batch
                ]
                uow.commit()
        except Exception:
            if len(batch) == 1:
                log.exception("outbox row not recorded", extra=_ids(batch[0]))
                return [NOT_RECORDED]
            return [self.write([outcome])[0] for outcome in batch]
        for outcome, status in zip(batch, statuses, strict=True):
            self._log(outcome, status)
        self.unreachable |= any(isinstance(o.result, Unreachable) for o in batch)
        return [TAKEN if status is None else str(status) for status in statuses]

    def _log(self, outcome: Outcome, status: OutboxStatus | None) -> None:
        if status is None:  # the lease ran out and another claim took the row
            went = "sent" if isinstance(outcome.result, Sent) else "not sent"
            log.warning(
                "outbox row taken by another claim: nothing recorded",
                extra={**_ids(outcome), "outcome": TAKEN, "send": went},
            )
        else:
            log.info("outbox row done", extra={**_ids(outcome), "outcome": str(status)})

    def _write(self, session: Session, outcome: Outcome) -> OutboxStatus | None:
        """Record one outcome that is not a message sent; None (and nothing written) when
        the row is no longer its claim's."""
        item, result = outcome.item, outcome.result
        settle = partial(outbox.settle, session, item.row_id, outcome.token)
        if isinstance(result, Unreachable):
            if not settle(OutboxStatus.FAILED, last_error="unreachable: blocked the bot"):
                return None
            mark_unreachable(session, self._clock, ChatRef(item.channel, item.chat_id))
            return OutboxStatus.FAILED
        row = session.get(OutboxMessage, item.row_id)
        attempts = row.attempts if row is not None else 0
        error = str(result)[:200]
        if isinstance(result, Rejected) or attempts >= self._settings.max_send_attempts:
            return OutboxStatus.FAILED if settle(OutboxStatus.FAILED, last_error=error) else None
        # Transient: try again later; a reminder past its time goes stale then.
        later = self._clock.now() + timedelta(seconds=self._settings.retry_delay_seconds)
        written = settle(OutboxStatus.PENDING, last_error=error, due_at=later)
        return OutboxStatus.PENDING if written else None


def _went(batch: list[Outcome]) -> list[sent_rows.Went]:
    return [
        sent_rows.Went(o.item.row_id, o.token, o.result.message_id, o.item.draft, o.as_words)
        for o in batch
        if isinstance(o.result, Sent)
    ]


def _ids(outcome: Outcome) -> dict[str, object]:
    return {"outbox_id": outcome.item.row_id, "channel": outcome.item.channel}
