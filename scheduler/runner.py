"""APScheduler (AsyncIOScheduler) ticks the dispatcher. It holds no reminder itself:
every due message is a row, so the schedule is rebuilt from nothing at each start."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain.localtime import LONDON
from scheduler.dispatcher import Dispatcher

log = logging.getLogger(__name__)
DISPATCH_JOB = "dispatch"
PLAN_JOB = "plan"
PLAN_MINUTES = 15  # well inside the planner's 36-hour horizon
RETENTION_JOB = "retention"


class SchedulerRunner:
    def __init__(
        self,
        dispatcher: Dispatcher,
        tick_seconds: float,
        planner: Callable[[], int] | None = None,
        *,
        retention: Callable[[], dict[str, int]] | None = None,
        retention_at: str = "03:30",
    ) -> None:
        self.dispatcher = dispatcher
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        if retention is not None:  # once a day, on the London clock (scheduler/retention.py)
            hour, minute = (int(part) for part in retention_at.split(":"))
            self._scheduler.add_job(
                self._retain,
                CronTrigger(hour=hour, minute=minute, timezone=LONDON),
                args=(retention,),
                id=RETENTION_JOB,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=3600,
            )
        if planner is not None:  # recurring check-ins, mood checks and nudges
            self._scheduler.add_job(
                self._plan,
                IntervalTrigger(minutes=PLAN_MINUTES),
                args=(planner,),
                id=PLAN_JOB,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
                next_run_time=datetime.now(UTC),
            )
        self._scheduler.add_job(
            self._tick,
            IntervalTrigger(seconds=tick_seconds),
            id=DISPATCH_JOB,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )

    async def _plan(self, planner: Callable[[], int]) -> None:
        try:
            planned = await asyncio.to_thread(planner)
        except Exception:  # the next run tries again; rows already planned stay
            log.exception("planning recurring messages failed")
            return
        if planned:
            log.info("recurring messages planned", extra={"rows": planned})

    async def _retain(self, retention: Callable[[], dict[str, int]]) -> None:
        try:
            await asyncio.to_thread(retention)
        except Exception:  # tomorrow's run takes what this one left
            log.exception("retention run failed")

    async def _tick(self) -> None:
        try:
            report = await self.dispatcher.tick()
        except asyncio.CancelledError:  # shutdown: not an error, and nothing is lost
            log.info("dispatch tick stopped by shutdown; its rows come back after their lease")
            return
        except Exception:  # a bad tick must not stop the next one
            log.exception("dispatch tick failed")
            return
        if report.claimed:  # a line only for a tick that did something
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
