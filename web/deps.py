"""What routes depend on, as typed `Annotated` dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bot.composition import Waymark


def _waymark(request: Request) -> Waymark:
    waymark: Waymark = request.app.state.waymark
    return waymark


WaymarkDep = Annotated[Waymark, Depends(_waymark)]
