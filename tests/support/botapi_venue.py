"""sendVenue for the stand-in Bot API (tests/support/botapi/): Telegram's checks of a
venue's fields, and the message it answers with (a venue, and its location beside it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

JSON = dict[str, Any]
Refuse = Callable[[str], Exception]  # the server's "400 Bad Request: <description>"


def _coordinate(params: JSON, name: str, bound: float, refuse: Refuse) -> float:
    try:
        value = float(params[name])
    except (KeyError, TypeError, ValueError):
        raise refuse(f"{name} is required") from None
    if not -bound <= value <= bound:
        raise refuse(f"{name} is out of range")
    return value


def venue_content(params: JSON, refuse: Refuse) -> JSON:
    """The content of the message a sendVenue call makes; `refuse` makes the error to raise
    where Telegram would refuse the call."""
    location = {
        "latitude": _coordinate(params, "latitude", 90, refuse),
        "longitude": _coordinate(params, "longitude", 180, refuse),
    }
    title, address = str(params.get("title") or ""), str(params.get("address") or "")
    if not title.strip() or not address.strip():
        raise refuse("venue title and address are required")
    venue = {"location": location, "title": title, "address": address}
    return {"venue": venue, "location": location}
