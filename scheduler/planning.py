"""The planning job: every 15 minutes, each active schedule's next day and a half goes
into the outbox (bot/services/schedules.py), in one unit of work committed here."""

from __future__ import annotations

from bot.domain.clock import Clock
from bot.services import schedules
from bot.storage import UnitOfWorkFactory, committed


def plan_everything(uow: UnitOfWorkFactory, clock: Clock) -> int:
    """One unit of work: plan every active schedule's next day and a half."""
    with committed(uow) as work:
        return schedules.plan_all(work.session, clock)
