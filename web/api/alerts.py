"""The alerts inbox: what a coach must see about their own people (running late, can't
come, lost, a red mood, crisis words, a call for help), and marking one as seen."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from bot.content.library import ContentLibrary
from bot.models import Alert
from bot.services import alerts
from bot.services.access import Can, alert_for, need
from web.api.deps import Caller, note, viewed
from web.api.problems import refusals
from web.api.types import AlertId
from web.deps import ClockDep, ContentDep, UowDep

router = APIRouter(tags=["alerts"])


class AlertPublic(BaseModel):
    id: int
    person_ref: str
    kind: str  # late, cant_come, lost, mood_red, crisis, help, ...
    what: str  # the kind in words, as the coach's phone shows it
    detail: str
    urgent: bool
    created_at: datetime
    acknowledged_at: datetime | None

    @classmethod
    def of(cls, alert: Alert, ref: str, content: ContentLibrary) -> AlertPublic:
        assert alert.id is not None
        return cls(
            id=alert.id,
            person_ref=ref,
            kind=alert.kind,
            what=content.alert_kinds.get(alert.kind, alert.kind),
            detail=alert.detail,
            urgent=alert.urgent,
            created_at=alert.created_at,
            acknowledged_at=alert.acknowledged_at,
        )


@router.get(
    "/alerts",
    summary="Alerts about the coach's own people",
    description="Open alerts, urgent first, newest first; with `seen=true`, seen ones after them.",
    responses=refusals(403, 422),
)
def list_alerts(
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    account: Caller,
    seen: Annotated[bool, Query(description="Include alerts already acknowledged.")] = False,
) -> list[AlertPublic]:
    need(account, Can.ALERTS)
    assert account.id is not None
    lines = alerts.for_coach(uow.session, account.id)
    viewed(uow, clock, account, "alerts")
    return [
        AlertPublic.of(line.alert, line.ref, content)
        for line in lines
        if seen or line.alert.acknowledged_at is None
    ]


@router.post(
    "/alerts/{alert_id}/acknowledge",
    summary="Mark an alert as seen",
    description="Acknowledging again keeps the first time.",
    responses=refusals(403, 404, 422),
)
def acknowledge_alert(
    alert_id: AlertId, uow: UowDep, clock: ClockDep, content: ContentDep, account: Caller
) -> AlertPublic:
    assert account.id is not None
    _, person = alert_for(uow.session, account, alert_id)
    note(uow, clock, account, "change", f"alert {alert_id}: acknowledge", person.id)
    acknowledged = alerts.acknowledge(uow, clock, alert_id, account.id)
    return AlertPublic.of(acknowledged, person.ref, content)
