"""Retention, for admins: how long each kind of data is kept, what is past its period now
(counted, nothing changed) and what the daily job did the last time it ran."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from bot.services import retention
from bot.services.access import Can, need
from web.auth import CurrentAccount
from web.deps import ClockDep, SettingsDep, UowDep
from web.templating import page

router = APIRouter()


@router.get("/retention")
def retention_page(
    request: Request,
    uow: UowDep,
    admin: CurrentAccount,
    clock: ClockDep,
    settings: SettingsDep,
) -> HTMLResponse:
    need(admin, Can.RETENTION)
    kept = settings.retention
    context = {
        "due": retention.report(uow.session, clock, kept),
        "last": retention.last_run(uow.session),
        "names": {rule.name: rule.what for rule in retention.RULES},
        "run_at": kept.run_at,
        "batch_size": kept.batch_size,
        "title": "Retention",
    }
    return page(request, "admin/retention.html", context)
