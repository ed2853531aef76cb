"""/healthz: is the database reachable, is the scheduler ticking, how Telegram is
connected. 503 when the database is down (a load balancer then sends work elsewhere)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from bot.services.health import database_ok
from web.deps import Site, WaymarkDep

router = APIRouter()


@router.get("/healthz")
async def healthz(waymark: WaymarkDep) -> JSONResponse:
    database = await asyncio.to_thread(database_ok, waymark.uow)
    body = {
        "database": "ok" if database else "down",
        "scheduler": "running" if waymark.runner.running else "stopped",
        "telegram": _telegram(waymark),
    }
    return JSONResponse(body, status_code=200 if database else 503)


def _telegram(waymark: Site) -> dict[str, Any]:
    settings = waymark.settings.telegram
    if waymark.telegram is None:
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
    }
