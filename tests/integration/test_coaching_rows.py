"""What a coaching row in the outbox says when it goes: one that is no kind of coaching
message (bad data) is skipped with its reason, not asserted away."""

from __future__ import annotations

from bot.composition import Waymark
from bot.models import OutboxMessage, OutboxStatus
from bot.storage import committed
from scheduler import coaching_rows
from tests.support import world
from tests.support.fakes import FixedClock


def test_a_row_of_no_coaching_kind_is_skipped(waymark: Waymark, clock: FixedClock) -> None:
    world.add_coach(waymark)
    person = world.add_person(waymark)
    now = clock.now()
    row = OutboxMessage(
        id=1, key="x", kind="postcard", content_key="nudge", due_at=now, created_at=now
    )
    with committed(waymark.uow) as uow:
        decided = coaching_rows.decide(uow.session, now, row, person, "Priya")
    assert decided == coaching_rows.Hold(OutboxStatus.SKIPPED, "not a coaching message: postcard")
