"""Times as a voice note reads them. A speech engine reads "10:00" as "ten zero zero";
people hear "10 o'clock in the morning". The words come from the content library's
spoken_time table, so a translation can say them its own way."""

from __future__ import annotations

import re

from bot.content.library import ContentLibrary

_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
FEW_MINUTES = 10  # "5 past 2" reads better than "2 5"


def spoken_time(content: ContentLibrary, clock: str, language: str | None = None) -> str | None:
    """'14:30' -> '2 30 in the afternoon'; None when `clock` is not a time of day."""
    match = _CLOCK.fullmatch(clock.strip())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))

    def words(key: str, **values: int | str) -> str:
        return content.spoken(key, language).format_map({k: str(v) for k, v in values.items()})

    if minute == 0 and hour in (0, 12):
        return words("midnight" if hour == 0 else "midday")
    twelve = hour % 12 or 12
    if minute == 0:
        core = words("on_the_hour", hour=twelve)
    elif minute < FEW_MINUTES:
        core = words("few_past", hour=twelve, minute=minute)
    else:
        core = words("past", hour=twelve, minute=minute)
    period = "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"
    return words(period, time=core)
