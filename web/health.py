"""/healthz: is the database reachable, is the scheduler ticking, how Telegram is
connected, and which roles this worker runs. 503 when the database is down (a load
balancer then sends work elsewhere)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from bot.channels.telegram.runtime import TelegramRuntime
from bot.channels.telegram.webhook import WebhookIntake
from bot.domain.roles import BOT, DISPATCH
from bot.services.health import database_ok
from bot.settings import Settings
from web.deps import (
    RolesDep,
    RunnerDep,
    SettingsDep,
    StartedDep,
    TelegramDep,
    UowFactoryDep,
    WebhookDep,
)

router = APIRouter()


@router.get("/healthz")
async def healthz(
    settings: SettingsDep,
    uow_factory: UowFactoryDep,
    intake: WebhookDep,
    started: StartedDep,
    runner: RunnerDep,
    telegram: TelegramDep,
    roles: RolesDep,
) -> JSONResponse:
    database = await asyncio.to_thread(database_ok, uow_factory)
    scheduler = _scheduler(roles, runner.running)
    body = {
        "database": "ok" if database else "down",
        "roles": sorted(roles),
        "scheduler": scheduler,
        "telegram": _telegram(settings, intake, started, telegram if BOT in roles else None),
    }
    return JSONResponse(body, status_code=200 if database else 503)


def _scheduler(roles: frozenset[str], running: bool) -> str:
    if DISPATCH not in roles:
        return "off"  # another worker dispatches
    return "running" if running else "stopped"


def _telegram(
    settings: Settings,
    intake: WebhookIntake | None,
    started: bool,
    telegram: TelegramRuntime[Any] | None,
) -> dict[str, Any]:
    if telegram is None:
        return {"framework": settings.telegram.framework, "mode": "off", "receiving": False}
    if intake is not None:
        return {
            "framework": telegram.framework,
            "mode": "webhook",
            "receiving": started,
            "updates_in_hand": intake.busy,
        }
    return {
        "framework": telegram.framework,
        "mode": "polling",
        "receiving": telegram.polling,
        "other_poller": telegram.other_poller,  # a 409: another worker polls
    }
