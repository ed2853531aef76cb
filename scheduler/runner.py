"""What runs the dispatcher and the planner. Neither holds a reminder itself: every due
message is a row, so the schedule is rebuilt from nothing at each start.

The dispatcher sleeps until the next row falls due (the earliest pending `due_at`, or a
lease that may run out), not for a fixed tick, so a message leaves at its time. It wakes
sooner when poked (an alert was raised in this process), and at least every
SCHEDULER_TICK_SECONDS in any case: a sweep for rows another worker wrote that fall due
before the time this one had in mind. APScheduler runs the planner every 15 minutes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain.localtime import LONDON
from scheduler.dispatcher import MIN_NAP, Dispatcher

log = logging.getLogger(__name__)
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
        self._sweep = tick_seconds
        self._task: asyncio.Task[None] | None = None
        self._poked = asyncio.Event()
        self.asleep = asyncio.Event()  # set while waiting for the next due row or a poke
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

    async def _plan(self, planner: Callable[[], int]) -> None:
        try:
            planned = await asyncio.to_thread(planner)
        except Exception:  # the next run tries again; rows already planned stay
            log.exception("planning recurring messages failed")
            return
        if planned:
            log.info("recurring messages planned", extra={"rows": planned})
            self.poke()  # one may be due before the time the dispatcher sleeps until

    async def _dispatching(self) -> None:
        while True:
            self._poked.clear()
            await self._tick()
            seconds = await self._until_next_due()
            self.asleep.set()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._poked.wait(), seconds)
            self.asleep.clear()

    async def _retain(self, retention: Callable[[], dict[str, int]]) -> None:
        try:
            await asyncio.to_thread(retention)
        except Exception:  # tomorrow's run takes what this one left
            log.exception("retention run failed")

    async def _tick(self) -> None:
        try:
            report = await self.dispatcher.tick()
        except Exception:  # a bad tick must not stop the next one
            log.exception("dispatch tick failed")
            return
        if report.claimed:  # a line only for a tick that did something
            log.info(
                "dispatch tick", extra={"claimed": report.claimed, "counts": dict(report.counts)}
            )

    async def _until_next_due(self) -> float:
        """Seconds to sleep: until the next row falls due, at most a sweep's."""
        try:
            due = await asyncio.to_thread(self.dispatcher.next_due)
            if due is None:
                return self._sweep
            seconds = (due - self.dispatcher.clock.now()).total_seconds()
        except Exception:  # the database is out of reach: try again at the next sweep
            log.exception("looking for the next due message failed")
            return self._sweep
        return min(max(seconds, MIN_NAP), self._sweep)

    def start(self) -> None:
        """Start dispatching (a first tick straight away) and planning. Call inside the
        event loop."""
        self._scheduler.start()
        self._task = asyncio.create_task(self._dispatching())

    def poke(self) -> None:
        """Rows may be due now (an alert was raised): tick now, not at the next due time."""
        self._poked.set()
        self.dispatcher.poke()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def shutdown(self) -> None:
        """Stop dispatching and planning. A tick under way stops where it is: rows it
        holds come back after their lease, and nothing is lost."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        if self._task is not None:
            self._task.cancel()
            self._task = None
