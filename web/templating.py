"""The dashboard's templates: Jinja2 with autoescaping, the CSRF token, the account,
the navigation its role allows, and times shown in London."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from bot.domain.localtime import clock_time, local, spoken_date
from bot.models import Account
from bot.services.access import ROLE_NAMES, Can, allows

TEMPLATES = Path(__file__).parent / "templates"

NAV: tuple[tuple[str, str, Can], ...] = (
    ("People", "/people", Can.CASELOAD),
    ("Alerts", "/alerts", Can.ALERTS),
    ("Content", "/content", Can.CONTENT),
    ("Reports", "/reports", Can.REPORTS),
    ("Accounts", "/accounts", Can.ACCOUNTS),
    ("Audit", "/audit", Can.AUDIT),
    ("Records", "/records", Can.SUBJECT_ACCESS),
    ("Retention", "/retention", Can.RETENTION),
)


def _context(request: Request) -> dict[str, Any]:
    account: Account | None = getattr(request.state, "account", None)
    token = request.scope.get("csrftoken")
    nav = [] if account is None else [(t, h) for t, h, p in NAV if allows(account, p)]
    return {
        "account": account,
        "role_name": ROLE_NAMES[account.role] if account is not None else "",
        "csrf_token": token() if callable(token) else "",
        "nav": nav,
        "path": request.url.path,
    }


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return f"{spoken_date(moment)}, {clock_time(moment)}"


def _day(moment: datetime | None) -> str:
    return "" if moment is None else spoken_date(moment)


def _iso_local(moment: datetime | None) -> str:
    return "" if moment is None else local(moment).strftime("%Y-%m-%dT%H:%M")


def build_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=TEMPLATES, context_processors=[_context])
    env = templates.env
    env.filters["when"] = _when
    env.filters["day"] = _day
    env.filters["local_input"] = _iso_local
    env.globals["allows"] = allows
    env.globals["Can"] = Can
    return templates


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    values = {"errors": {}, "notice": None} | (context or {})
    return templates.TemplateResponse(request, name, values, status_code=status)
