"""Records are written many to a transaction, and still row by row under the fence: in
one batch, a row another claim has taken is left as it is (and nothing is counted for
it), while the others are marked sent with their engagement and message ids."""

from __future__ import annotations

import asyncio

from sqlmodel import col, select

from bot.composition import Waymark, build
from bot.models import EngagementEvent, OutboxMessage, OutboxStatus, SentMessage
from bot.storage import committed
from scheduler.preparing import TAKEN, OutboxPreparer, Ready
from scheduler.recording import Outcome, Recorder, Sent
from tests.support import due
from tests.support.database import ON_EVERY_DATABASE
from tests.support.fakes import FixedClock

pytestmark = ON_EVERY_DATABASE


async def test_a_batch_writes_only_the_rows_its_claims_still_hold(
    site_waymark: Waymark, clock: FixedClock
) -> None:
    app = site_waymark
    for person in due.linked(app, 3):
        due.notes_due(app, person, 1)
    lost = await asyncio.to_thread(app.dispatcher.claim)
    preparer = OutboxPreparer(app.uow, clock, app.renderer, app.media)
    items = await asyncio.to_thread(preparer.prepare, lost.token, lost.ids)
    assert all(isinstance(item, Ready) for item in items)
    clock.advance(seconds=app.settings.scheduler.claim_lease_seconds + 1)
    other = build(app.settings, clock=clock, engine=app.engine)
    taken = await asyncio.to_thread(other.dispatcher.claim, 1)  # the first row, and only it
    assert taken.ids == lost.ids[:1]

    recorder = Recorder(app.uow, clock, app.settings.scheduler, lambda outcome, status: None)
    outcomes = [
        Outcome(lost.token, item, Sent(f"m{n}"))
        for n, item in enumerate(items)
        if isinstance(item, Ready)
    ]
    statuses = await asyncio.to_thread(recorder.write, outcomes)

    assert statuses == [TAKEN, "sent", "sent"]
    with committed(app.uow) as uow:
        rows = uow.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
        events = uow.session.exec(select(EngagementEvent)).all()
        messages = uow.session.exec(select(SentMessage).order_by(col(SentMessage.id))).all()
    first, *rest = rows
    assert (first.status, first.claim_token, first.channel_message_id) == (
        OutboxStatus.SENDING,
        taken.token,
        None,
    )
    assert [(r.status, r.channel_message_id, r.sent_at) for r in rest] == [
        (OutboxStatus.SENT, "m1", clock.now()),
        (OutboxStatus.SENT, "m2", clock.now()),
    ]
    sent_events = [e.detail["outbox_id"] for e in events if e.kind == "message_sent"]
    assert sorted(sent_events) == [r.id for r in rest]
    assert [m.channel_message_id for m in messages] == [None, "m1", "m2"]
