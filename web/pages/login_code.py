"""The second step of a login, for an account with a second factor: the six digits from
the authenticator app, or a recovery code. The right password alone made no session; it
left a short-lived "pending" mark in the cookie (the account, its session epoch, where to
go next), good for five minutes. Wrong codes count as failed logins, kept apart from
wrong passwords (so a right password does not wipe them): five in 15 minutes lock the
code step for that account."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.domain.clock import Clock
from bot.models import Account
from bot.services import accounts, audit, second_factor
from bot.storage import UnitOfWork
from web.auth import begin_session, client_address
from web.deps import ClockDep, UowDep
from web.pages.login import LANDING
from web.templating import page

router = APIRouter()

PENDING_SECONDS = 300


def _pending(request: Request, uow: UnitOfWork, clock: Clock) -> tuple[Account, str] | None:
    value: Any = request.session.get("pending")
    if not isinstance(value, dict) or not isinstance(value.get("account"), int):
        return None
    at = value.get("at")
    if not isinstance(at, float | int) or clock.now().timestamp() - at > PENDING_SECONDS:
        return None
    found = uow.session.get(Account, value["account"])
    if found is None or not found.active or found.session_epoch != value.get("epoch"):
        return None
    return found, str(value.get("next") or "")


def _form(request: Request, errors: dict[str, str] | None = None) -> HTMLResponse:
    status = 422 if errors else 200
    return page(request, "account/login_code.html", {"errors": errors or {}}, status=status)


@router.get("/login/code")
def code_form(request: Request, uow: UowDep, clock: ClockDep) -> Response:
    if _pending(request, uow, clock) is None:
        return RedirectResponse("/login", status_code=303)
    return _form(request)


@router.post("/login/code", response_model=None)
def check_code(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    code: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    pending = _pending(request, uow, clock)
    if pending is None:
        request.session.clear()
        return RedirectResponse("/login", status_code=303)
    account, next_path = pending
    if not code.strip():
        return _form(request, {"code": "Enter the 6-digit code from your app"})
    session = uow.session
    key, client = second_factor.code_key(account.email), client_address(request)
    if accounts.throttled(session, clock, key, client):
        return _form(request, {"code": "Too many tries. Wait 15 minutes, then try again."})
    try:
        kind = second_factor.check(session, clock, account, code)
    except second_factor.WrongCode:
        second_factor.record_wrong(session, clock, key, client)
        return _form(request, {"code": "That code is not right. Try the newest one in your app."})
    second_factor.clear_wrong(session, key)
    subject = "dashboard, recovery code" if kind == "recovery" else "dashboard"
    audit.record(session, clock, account.id, "login", subject)
    begin_session(request, account)
    return RedirectResponse(next_path or LANDING[account.role], status_code=303)
