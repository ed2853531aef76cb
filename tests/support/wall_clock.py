"""Times for the planner's tests: London wall-clock times as aware UTC, and a plan's
slots as people would read them."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.planner import Slot

LONDON = ZoneInfo("Europe/London")
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
DEFAULT_22 = time(22, 0)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def london(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A London wall-clock time (never one in a skipped or repeated hour) as aware UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON).astimezone(UTC)


def wall(slots: list[Slot]) -> list[tuple[str, str]]:
    """Each slot as its name and the London wall-clock time people would see."""
    return [(slot.name, f"{slot.due_at.astimezone(LONDON):%a %d %b %H:%M}") for slot in slots]


def instants(slots: list[Slot]) -> list[tuple[str, datetime, bool]]:
    return [(slot.name, slot.due_at, slot.silent) for slot in slots]
