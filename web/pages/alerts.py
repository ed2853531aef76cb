"""The alerts inbox: what a coach must see about their own people, open ones first (the
urgent ones at the top), and acknowledging them. Acknowledged alerts stay in a second list.
An alert about someone else's person is not found, exactly as if it did not exist."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, RedirectResponse

from bot.services import alerts, audit
from bot.services.access import Can, need
from web.auth import CurrentAccount
from web.deps import ClockDep, ContentDep, UowDep
from web.pages.forms import done, person_url
from web.pages.notice import take as take_notice
from web.templating import page

router = APIRouter()


@router.get("/alerts")
def inbox(
    request: Request, uow: UowDep, clock: ClockDep, content: ContentDep, account: CurrentAccount
) -> HTMLResponse:
    need(account, Can.ALERTS)
    assert account.id is not None
    lines = alerts.for_coach(uow.session, account.id)
    audit.record(uow.session, clock, account.id, "view", "alerts")
    context = {
        "open": [line for line in lines if line.alert.acknowledged_at is None],
        "seen": [line for line in lines if line.alert.acknowledged_at is not None],
        "kinds": content.alert_kinds,
        "person_url": person_url,
        "notice": take_notice(request),
    }
    return page(request, "alerts.html", context)


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(
    request: Request, alert_id: int, uow: UowDep, clock: ClockDep, account: CurrentAccount
) -> RedirectResponse:
    need(account, Can.ALERTS)
    assert account.id is not None
    alert = alerts.own_alert(uow.session, alert_id, account.id)
    audit.record(
        uow.session,
        clock,
        account.id,
        "change",
        f"alert {alert_id}",
        person_id=alert.person_id,
    )
    alerts.acknowledge(uow, clock, alert_id, account.id)
    return done(request, "/alerts", "Alert acknowledged")
