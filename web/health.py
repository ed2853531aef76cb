"""/healthz: is the database reachable, is the scheduler ticking, how Telegram is
connected. 503 when the database is down (a load balancer then sends work elsewhere)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from bot.composition import Waymark
from bot.domain.roles import BOT, DISPATCH
from bot.services.health import database_ok
from web.deps import WaymarkDep

router = APIRouter()


@router.get("/healthz")
async def healthz(waymark: WaymarkDep) -> JSONResponse:
    database = await asyncio.to_thread(database_ok, waymark.uow)
    body = {
        "database": "ok" if database else "down",
        "roles": sorted(waymark.roles),
        "scheduler": _scheduler(waymark),
        "telegram": _telegram(waymark),
    }
    return JSONResponse(body, status_code=200 if database else 503)


def _scheduler(waymark: Waymark) -> str:
    if DISPATCH not in waymark.roles:
        return "off"  # another worker dispatches
    return "running" if waymark.runner.running else "stopped"


def _telegram(waymark: Waymark) -> dict[str, Any]:
    settings = waymark.settings.telegram
    if waymark.telegram is None or BOT not in waymark.roles:
        return {"framework": settings.framework, "mode": "off", "receiving": False}
    if waymark.webhook is not None:
        return {
            "framework": waymark.telegram.framework,
            "mode": "webhook",
            "receiving": waymark.started,
            "updates_in_hand": waymark.webhook.busy,
        }
    return {
        "framework": waymark.telegram.framework,
        "mode": "polling",
        "receiving": waymark.telegram.polling,
        "other_poller": waymark.telegram.other_poller,  # a 409: another worker polls
    }
