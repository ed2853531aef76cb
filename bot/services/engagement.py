"""Engagement events: the evidence of what people did, counted later in reports."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.domain.clock import Clock
from bot.models import EngagementEvent


def record(
    session: Session,
    clock: Clock,
    person_id: int,
    kind: str,
    detail: dict[str, Any] | None = None,
    appointment_id: int | None = None,
) -> None:
    session.add(
        EngagementEvent(
            person_id=person_id,
            kind=kind,
            detail=detail or {},
            appointment_id=appointment_id,
            at=clock.now(),
        )
    )
