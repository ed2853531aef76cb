"""What is due when: the reminder slots of one appointment. Pure: no database, no clock.

Default plan (DESIGN.md 3.2, and the probation RCT that found a text the day before
works): the evening before at 18:00, the morning of at 08:00 when the appointment is
after 09:30, and 60 minutes before. "Fewer" keeps the evening before and 60 minutes
before. A coach's lead times (on the appointment, else on the person) replace the plan.

Quiet hours run from the person's chosen hour to 07:00. A reminder that falls inside
them moves to 07:00 when that is still before the appointment, or else goes silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.leads import Lead
from bot.domain.localtime import LONDON, at_local, local

EVENING = time(18, 0)
MORNING = time(8, 0)
MORNING_ONLY_AFTER = time(9, 30)
SOON = timedelta(minutes=60)
QUIET_UNTIL = time(7, 0)

# The content key each slot's message uses.
SLOT_MESSAGES = {
    "evening-before": "reminder_evening",
    "morning-of": "reminder_morning",
    "before-60m": "reminder_soon",
}


@dataclass(frozen=True)
class Slot:
    name: str
    due_at: datetime
    silent: bool = False

    @property
    def content_key(self) -> str:
        return SLOT_MESSAGES.get(self.name, "reminder_lead")


def default_slots(starts_at: datetime, *, fewer: bool, zone: ZoneInfo = LONDON) -> list[Slot]:
    here = local(starts_at, zone)
    slots = [Slot("evening-before", at_local(here.date() - timedelta(days=1), EVENING, zone))]
    if here.time() > MORNING_ONLY_AFTER and not fewer:
        slots.append(Slot("morning-of", at_local(here.date(), MORNING, zone)))
    slots.append(Slot("before-60m", starts_at - SOON))
    return slots


def quiet_window(
    moment: datetime, quiet_from: time, zone: ZoneInfo = LONDON
) -> tuple[datetime, datetime] | None:
    """The quiet window (start, end) that holds `moment`, or None."""
    here = local(moment, zone)
    day = here.date() if here.time() >= quiet_from else here.date() - timedelta(days=1)
    start = at_local(day, quiet_from, zone)
    end = at_local(day + timedelta(days=1), QUIET_UNTIL, zone)
    return (start, end) if start <= moment < end else None


def respect_quiet_hours(
    slot: Slot, starts_at: datetime, quiet_from: time | None, zone: ZoneInfo = LONDON
) -> Slot:
    if quiet_from is None:
        return slot
    window = quiet_window(slot.due_at, quiet_from, zone)
    if window is None:
        return slot
    if window[1] < starts_at:
        return Slot(slot.name, window[1], slot.silent)
    return Slot(slot.name, slot.due_at, silent=True)


def plan(
    starts_at: datetime,
    now: datetime,
    *,
    leads: tuple[Lead, ...] | None,
    fewer: bool = False,
    quiet_from: time | None = None,
    zone: ZoneInfo = LONDON,
) -> list[Slot]:
    """The slots still ahead of `now`, at most one per due time, earliest first."""
    if leads is None:
        slots = default_slots(starts_at, fewer=fewer, zone=zone)
    else:
        slots = [Slot(lead.slot, lead.before(starts_at, zone)) for lead in leads]
    slots = [respect_quiet_hours(slot, starts_at, quiet_from, zone) for slot in slots]
    ahead = [slot for slot in slots if now <= slot.due_at < starts_at]
    unique: dict[datetime, Slot] = {}
    for slot in sorted(ahead, key=lambda s: s.due_at):
        unique.setdefault(slot.due_at, slot)  # two slots moved to 07:00 become one
    return list(unique.values())


def parse_quiet_from(value: str | None) -> time | None:
    if value is None:
        return None
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))
