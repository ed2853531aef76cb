"""Retention, for admins: how long each kind of data is kept, what is past its period now
(counted, nothing changed) and what the daily job did the last time it ran."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse

from bot.domain.clock import Clock
from bot.services import retention
from bot.services.access import Can, need
from bot.settings import Settings
from web.auth import CurrentAccount
from web.deps import UowDep, WaymarkDep
from web.templating import page

router = APIRouter()


def _clock(waymark: WaymarkDep) -> Clock:
    return waymark.clock


def _settings(waymark: WaymarkDep) -> Settings:
    return waymark.settings


@router.get("/retention")
def retention_page(
    request: Request,
    uow: UowDep,
    admin: CurrentAccount,
    clock: Annotated[Clock, Depends(_clock)],
    settings: Annotated[Settings, Depends(_settings)],
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
