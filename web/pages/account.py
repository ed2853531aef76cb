"""Each signed-in account's own sign-in settings: change the password (the current one,
then the new one twice; other sessions end), and set up the second factor (a QR code and
its secret, confirmed with a code before it is on; ten recovery codes shown once).

The set-up page takes SignedInAccount, not CurrentAccount: an admin or manager without a
second factor is sent here and can use nothing else (not even the password page: someone
holding only the password must not be able to change it) until it is on."""

from __future__ import annotations

from typing import Annotated

import segno
from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.domain.errors import Invalid
from bot.models import Account
from bot.services import accounts, audit, passwords, second_factor
from bot.settings import Settings
from bot.storage import UnitOfWork
from web.auth import CurrentAccount, SignedInAccount, begin_session, client_address
from web.deps import ClockDep, SettingsDep, UowDep
from web.pages import notice
from web.templating import page

router = APIRouter()

WRONG = "The current password is not right"
FIELDS = ("current", "new", "again")


def _password_page(request: Request, errors: dict[str, str] | None = None) -> HTMLResponse:
    context = {"errors": errors or {}, "notice": notice.take(request)}
    return page(request, "account/password.html", context, status=422 if errors else 200)


@router.get("/account/password")
def password_form(request: Request, account: CurrentAccount) -> HTMLResponse:
    return _password_page(request)


@router.post("/account/password", response_model=None)
def change_password(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    account: CurrentAccount,
    current: Annotated[str, Form(max_length=500)] = "",
    new: Annotated[str, Form(max_length=500)] = "",
    again: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    typed = dict(zip(FIELDS, (current, new, again), strict=True))
    missing = {name: "Enter a password" for name, value in typed.items() if not value}
    if missing:
        return _password_page(request, missing)
    session, client = uow.session, client_address(request)
    if accounts.throttled(session, clock, account.email, client):
        return _password_page(request, {"current": "Too many tries. Wait 15 minutes."})
    try:
        passwords.change_own(session, account, current, new, again)
    except passwords.WrongPassword:
        second_factor.record_wrong(session, clock, account.email, client)  # throttled as a login
        return _password_page(request, {"current": WRONG})
    except Invalid as refused:
        message = str(refused)
        return _password_page(request, {"new": message[:1].upper() + message[1:]})
    audit.record(session, clock, account.id, "password", f"account {account.id}")
    begin_session(request, account)  # this session goes on; every other one has ended
    notice.tell(request, "Your password is changed. Your other sessions have ended.")
    return RedirectResponse("/account/password", status_code=303)


def _qr_svg(uri: str) -> str:
    code = segno.make(uri, error="m")
    svg: str = code.svg_inline(scale=4, border=4, svgclass="wm-qr-code", lineclass=None)
    return svg


def _factor_page(
    request: Request,
    uow: UnitOfWork,
    settings: Settings,
    account: Account,
    *,
    errors: dict[str, str] | None = None,
    codes: list[str] | None = None,
) -> HTMLResponse:
    assert account.id is not None
    context: dict[str, object] = {
        "errors": errors or {},
        "codes": codes,
        "on": second_factor.is_on(account),
        "exempt": second_factor.exempt(account, settings),
        "required": account.role in second_factor.REQUIRED_ROLES,
        "left": second_factor.recovery_codes_left(uow.session, account.id),
    }
    if not context["on"] and not context["exempt"]:
        # Kept by the request's commit: the same secret until it is confirmed, however
        # often the page loads.
        secret = second_factor.start(uow.session, account)
        context |= {"secret": secret, "qr_svg": _qr_svg(second_factor.setup_uri(account))}
    response = page(request, "account/second_factor.html", context, status=422 if errors else 200)
    response.headers["Cache-Control"] = "no-store"  # a secret, or recovery codes, once
    return response


@router.get("/account/second-factor")
def factor_form(
    request: Request, uow: UowDep, settings: SettingsDep, account: SignedInAccount
) -> HTMLResponse:
    return _factor_page(request, uow, settings, account)


@router.post("/account/second-factor", response_model=None)
def factor_confirm(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    account: SignedInAccount,
    code: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    if second_factor.exempt(account, settings) or second_factor.is_on(account):
        return RedirectResponse("/account/second-factor", status_code=303)
    if not code.strip():
        errors = {"code": "Enter the 6-digit code your app shows"}
        return _factor_page(request, uow, settings, account, errors=errors)
    session, client = uow.session, client_address(request)
    key = second_factor.code_key(account.email)
    if accounts.throttled(session, clock, key, client):
        errors = {"code": "Too many tries. Wait 15 minutes."}
        return _factor_page(request, uow, settings, account, errors=errors)
    try:
        codes = second_factor.confirm(session, clock, account, code)
    except second_factor.WrongCode:
        second_factor.record_wrong(session, clock, key, client)
        errors = {"code": "That code is not right. Check the app shows Waymark, and try again."}
        return _factor_page(request, uow, settings, account, errors=errors)
    audit.record(session, clock, account.id, "2fa-on", f"account {account.id}")
    begin_session(request, account)  # the epoch moved on: other sessions ended, not this one
    return _factor_page(request, uow, settings, account, codes=codes)
