"""Recurring times ("weekdays 08:30", "mon,thu 18:00", or a cron expression) on the
London clock. APScheduler's CronTrigger computes them, so the hour stays the same on the
wall clock across both clock changes; nothing here keeps a schedule in memory."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.domain.localtime import LONDON

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_DAYS = {
    name: name[:3]
    for name in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}
DAY_WORDS = {
    "weekdays": "mon-fri",
    "weekday": "mon-fri",
    "weekends": "sat,sun",
    "weekend": "sat,sun",
    "daily": "*",
}
_FRIENDLY = re.compile(r"^(?:every\s+)?(?P<days>[a-z, -]+?)\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})$")
HORIZON = timedelta(days=366)


class ScheduleError(ValueError):
    """A schedule that cannot be read, or one that would never fire."""


def _day(word: str) -> str:
    if word in DAYS:
        return word
    if word in FULL_DAYS:
        return FULL_DAYS[word]
    raise ScheduleError(f"{word!r} is not a day; use mon, tue, ... sun, weekdays or daily")


def _days(text: str) -> str:
    """Day words as APScheduler's day_of_week: 'mon,thu', 'mon-fri' or '*'."""
    text = " ".join(text.replace(",", " , ").split()).replace(" , ", ",")
    if text in DAY_WORDS:
        return DAY_WORDS[text]
    return ",".join("-".join(_day(end) for end in part.split("-")) for part in text.split(","))


def parse_every(spec: str, zone: ZoneInfo = LONDON) -> CronTrigger:
    """'weekdays 08:30', 'mon,thu 18:00', 'daily 09:00', or a five-field cron expression."""
    text = " ".join(spec.strip().lower().split()).replace("every day", "daily")
    friendly = _FRIENDLY.match(text)
    try:
        if friendly:
            hour, minute = int(friendly["hour"]), int(friendly["minute"])
            if hour > 23 or minute > 59:
                raise ScheduleError(f"{friendly['hour']}:{friendly['minute']} is not a time")
            trigger = CronTrigger(
                day_of_week=_days(friendly["days"]), hour=hour, minute=minute, timezone=zone
            )
        elif len(text.split()) == 5:
            trigger = CronTrigger.from_crontab(text, timezone=zone)
        else:
            raise ScheduleError(
                f"{spec!r} is not a schedule; write it like 'weekdays 08:30', "
                "'mon,thu 18:00' or a cron expression like '30 8 * * mon-fri'"
            )
    except ScheduleError:
        raise
    except ValueError as error:
        raise ScheduleError(f"{spec!r} is not a schedule: {error}") from None
    return trigger


def next_times(trigger: CronTrigger, after: datetime, until: datetime) -> list[datetime]:
    """Every time the schedule fires in (after, until], as aware UTC.

    In October's repeated hour a wall-clock time happens twice; it fires the first time
    only. (APScheduler 3.11 would also return the second one over and over.)
    """
    times: list[datetime] = []
    previous: datetime | None = None
    moment = after
    while True:
        fire = trigger.get_next_fire_time(previous, moment)
        if fire is None or fire > until:
            return times
        repeated = previous is not None and fire.replace(tzinfo=None) == previous.replace(
            tzinfo=None
        )
        if fire > after and not repeated:
            times.append(fire.astimezone(after.tzinfo))
        previous, moment = fire, fire + (timedelta(hours=1) if repeated else timedelta(seconds=1))


def check_fires(trigger: CronTrigger, now: datetime) -> datetime:
    """The first time the schedule fires within a year, or ScheduleError."""
    fire: datetime | None = trigger.get_next_fire_time(None, now)
    if fire is None or fire - now > HORIZON:
        raise ScheduleError("this schedule would never fire (or not within a year)")
    return fire.astimezone(now.tzinfo)
