"""APScheduler (AsyncIOScheduler) ticks the dispatcher. It holds no reminder itself:
every due message is a row, so the schedule is rebuilt from nothing at each start."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.dispatcher import Dispatcher

log = logging.getLogger(__name__)
DISPATCH_JOB = "dispatch"


class SchedulerRunner:
    def __init__(self, dispatcher: Dispatcher, tick_seconds: float) -> None:
        self.dispatcher = dispatcher
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._scheduler.add_job(
            self._tick,
            IntervalTrigger(seconds=tick_seconds),
            id=DISPATCH_JOB,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )

    async def _tick(self) -> None:
        try:
            report = await self.dispatcher.tick()
        except Exception:  # a bad tick must not stop the next one
            log.exception("dispatch tick failed")
            return
        if report.claimed:
            log.info(
                "dispatch tick", extra={"claimed": report.claimed, "counts": dict(report.counts)}
            )

    def start(self) -> None:
        """Start ticking, with a first tick straight away. Call inside the event loop."""
        self._scheduler.start()
        self.poke()

    def poke(self) -> None:
        """Tick now (an alert was raised) rather than at the next interval."""
        if self._scheduler.running:
            self._scheduler.modify_job(DISPATCH_JOB, next_run_time=datetime.now(UTC))

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
