"""Logging in and out, and the start page (each role lands where its work is)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.models import Role
from bot.services import accounts, audit, second_factor
from web.auth import CurrentAccount, begin_pending, begin_session, client_address, end_session
from web.deps import ClockDep, SettingsDep, UowDep
from web.templating import page

router = APIRouter()

LANDING = {
    Role.COACH: "/people",
    Role.STAFF: "/people",
    Role.MANAGER: "/reports",
    Role.ADMIN: "/accounts",
}


def _safe_next(value: str) -> str:
    """Only a path on this site: never an address elsewhere (an open redirect)."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return ""
    return value


@router.get("/login")
def login_form(request: Request, next: str = "") -> HTMLResponse:
    return page(request, "login.html", {"next_path": _safe_next(next), "email": ""})


@router.post("/login", response_model=None)
def login(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    errors: dict[str, str] = {}
    if not email.strip():
        errors["email"] = "Enter your email address"
    if not password:
        errors["password"] = "Enter your password"  # noqa: S105 - a message, not a secret
    if not errors:
        try:
            account = accounts.log_in(uow, clock, email, password, client_address(request))
        except accounts.LoginRefused as refused:
            errors["email"] = (
                "Too many tries. Wait 15 minutes, then try again."
                if refused.throttled
                else "The email address or password is not right"
            )
        else:
            if second_factor.asks_code(account, settings):  # web/pages/login_code.py
                begin_pending(request, account, _safe_next(next), clock.now().timestamp())
                return RedirectResponse("/login/code", status_code=303)
            audit.record(uow.session, clock, account.id, "login", "dashboard")
            begin_session(request, account)
            target = _safe_next(next) or LANDING[account.role]
            return RedirectResponse(target, status_code=303)
    context = {"errors": errors, "email": email, "next_path": _safe_next(next)}
    return page(request, "login.html", context, status=422)


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    end_session(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def start(account: CurrentAccount) -> RedirectResponse:
    return RedirectResponse(LANDING[account.role], status_code=303)
