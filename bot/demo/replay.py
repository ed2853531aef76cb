"""Three months of Waymark, lived again in a few seconds, inside one transaction.

The demo's history is not written as rows made up to look right. It is replayed: a clock
that stands where the replay is, the real services (people, appointments, goals, nudges,
needs, alerts) and the real conversation service for every button a person presses, so
the events, alerts and conversation states are the ones the live system writes. What the
scheduler would have sent at each moment is prepared by the real outbox renderer (which
records each message sent) and marked sent as the dispatcher marks it.

Every service writes into the seed's one unit of work (services never commit); the seed
commits it once at the end (bot/demo/seed.py): it lands whole, or not at all.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import event
from sqlmodel import Session

from bot.content.library import ContentLibrary
from bot.conversation.service import ConversationService
from bot.domain.chat import ChatRef
from bot.flows.types import Incoming, Kind
from bot.models import OutboxMessage, OutboxStatus
from bot.rendering.renderer import Renderer
from bot.services import outbox
from bot.services.webchat import CHANNEL
from bot.storage import UnitOfWork
from scheduler.preparing import DEFERRED, OutboxPreparer, Ready

Action = Callable[[], None]
Sent = Callable[[OutboxMessage, Ready], None]
REPLAY = "replay"  # the token of the replay's claims: it is the only sender


class StoppedClock:
    """The replay's clock: it stands where the replay is."""

    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment


class Replay:
    """Actions in time order, and the outbox sent as it falls due, up to `until`."""

    def __init__(self, work: UnitOfWork, content: ContentLibrary, until: datetime) -> None:
        self.work = work  # the seed's one unit of work, already open
        self.clock = StoppedClock(until)
        self.until = until
        self.on_sent: Sent = lambda _row, _ready: None
        # Their own units of work are never opened: the replay calls their `_in` steps.
        self._conversation = ConversationService(_no_units, self.clock, content)
        self._renderer = OutboxPreparer(_no_units, self.clock, Renderer(content))
        session = work.session
        self._queue: list[tuple[datetime, int, Action]] = []
        self._order = itertools.count()
        self._new_rows: list[OutboxMessage] = []
        # Every row the replay loaded or wrote stays in hand, so looking one up again is
        # a lookup in the session, not a query (the session alone holds rows weakly).
        self._held: list[object] = []
        event.listen(session, "pending_to_persistent", self._written)
        event.listen(session, "loaded_as_persistent", self._loaded)

    @property
    def session(self) -> Session:
        return self.work.session

    def now(self) -> datetime:
        return self.clock.now()

    def at(self, when: datetime, action: Action) -> None:
        """Do `action` at `when`; what would happen after `until` never does."""
        if when <= self.until:
            heapq.heappush(self._queue, (when, next(self._order), action))

    def run(self) -> None:
        self._queue_outbox()
        while self._queue:
            when, _, action = heapq.heappop(self._queue)
            self.clock.set(when)
            action()
            self._queue_outbox()
        self.clock.set(self.until)

    def press(self, chat_id: str, data: str) -> None:
        """The person presses a button in their chat."""
        incoming = Incoming(Kind.BUTTON, button=data)
        self._conversation.decide_in(self.work, ChatRef(CHANNEL, chat_id), incoming)

    def type(self, chat_id: str, text: str) -> None:
        """The person types words or a /command (the words themselves are never kept)."""
        self._conversation.decide_in(self.work, ChatRef(CHANNEL, chat_id), Incoming.from_text(text))

    def _written(self, _session: Session, instance: object) -> None:
        self._held.append(instance)
        if isinstance(instance, OutboxMessage):
            self._new_rows.append(instance)

    def _loaded(self, _session: Session, instance: object) -> None:
        self._held.append(instance)
        if isinstance(instance, OutboxMessage):  # outbox.enqueue inserts, then loads the row
            self._new_rows.append(instance)

    def _queue_outbox(self) -> None:
        """Send each row written since, when it falls due."""
        self.session.flush()
        rows, self._new_rows = self._new_rows, []
        for row in rows:
            if row.status == OutboxStatus.PENDING:
                self._send_at(row)

    def _send_at(self, row: OutboxMessage) -> None:
        assert row.id is not None
        row_id = row.id
        self.at(max(row.due_at, self.now()), lambda: self._send(row_id))

    def _send(self, row_id: int) -> None:
        row = self.session.get(OutboxMessage, row_id)
        assert row is not None
        if row.status != OutboxStatus.PENDING:
            return  # cancelled (a moved appointment, a stopped nudge) since it was queued
        if row.due_at > self.now():
            self._send_at(row)  # moved later since it was queued
            return
        # Claimed as the dispatcher claims it (the attempt counted), under the replay's token.
        row.status, row.claim_token, row.attempts = OutboxStatus.SENDING, REPLAY, row.attempts + 1
        (prepared,) = self._renderer.prepare_in(self.session, REPLAY, [row_id])
        if not isinstance(prepared, Ready):
            if prepared.status == DEFERRED:
                self._send_at(row)
            return  # stale, skipped or cancelled, with its reason, as the dispatcher leaves it
        outbox.mark_sent(self.session, self.clock, row_id, REPLAY, None)  # as it goes
        self.on_sent(row, prepared)


def _no_units() -> UnitOfWork:
    raise RuntimeError("the replay writes only into the seed's one unit of work")
