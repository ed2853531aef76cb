"""Lead times: how long before an appointment a reminder goes ("1d,2h,60m,90s")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.localtime import LONDON, at_local, local

_PART = re.compile(r"^(\d{1,4})([dhms])$")
_SECONDS = {"h": 3600, "m": 60, "s": 1}
MAX_LEADS = 6
MAX_LEAD = timedelta(days=14)


@dataclass(frozen=True, order=True)
class Lead:
    amount: int
    unit: str

    @property
    def slot(self) -> str:
        return f"lead-{self.amount}{self.unit}"

    def before(self, starts_at: datetime, zone: ZoneInfo = LONDON) -> datetime:
        """When the reminder goes. Days are calendar days on the local clock (the same
        wall time the day before, across a clock change); hours, minutes and seconds
        are elapsed time."""
        if self.unit == "d":
            here = local(starts_at, zone)
            day = here.date() - timedelta(days=self.amount)
            return at_local(day, here.time(), zone)
        return starts_at - timedelta(seconds=self.amount * _SECONDS[self.unit])

    def approximate(self) -> timedelta:
        if self.unit == "d":
            return timedelta(days=self.amount)
        return timedelta(seconds=self.amount * _SECONDS[self.unit])

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


def parse_leads(text: str | None) -> tuple[Lead, ...] | None:
    """A comma list of leads, or None for 'default' (or nothing).

    Raises ValueError with the reason for anything else.
    """
    if text is None or text.strip().lower() in {"", "default"}:
        return None
    leads: list[Lead] = []
    for raw in text.split(","):
        part = raw.strip().lower()
        match = _PART.match(part)
        if match is None:
            raise ValueError(
                f"{raw.strip()!r} is not a lead time; use a number and d, h, m or s, like 1d,2h,60m"
            )
        lead = Lead(int(match.group(1)), match.group(2))
        if lead.amount == 0:
            raise ValueError("a lead time must be more than zero")
        if lead.approximate() > MAX_LEAD:
            raise ValueError(f"{part} is more than 14 days before")
        leads.append(lead)
    if len(leads) > MAX_LEADS:
        raise ValueError(f"at most {MAX_LEADS} lead times")
    if len({lead.approximate() for lead in leads}) != len(leads):
        raise ValueError("the same lead time is given twice")
    return tuple(sorted(leads, key=Lead.approximate, reverse=True))


def format_leads(leads: tuple[Lead, ...] | None) -> str:
    return "default" if leads is None else ",".join(str(lead) for lead in leads)
