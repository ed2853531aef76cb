"""Each account's own API tokens: create one (its value is shown once, on the page that
answers the form; only its SHA-256 is kept), see when each was last used, revoke one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.domain.errors import Invalid
from bot.models import Account
from bot.services import accounts, audit
from web.auth import CurrentAccount
from web.deps import ClockDep, UowDep
from web.pages import notice
from web.templating import page

router = APIRouter()


def _tokens_page(
    request: Request,
    uow: UowDep,
    account: Account,
    *,
    new_token: str | None = None,
    name: str = "",
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    assert account.id is not None
    context = {
        "tokens": accounts.tokens_of(uow.session, account.id),
        "new_token": new_token,
        "name": name,
        "errors": errors or {},
        "notice": notice.take(request),
        "title": "Your API tokens",
    }
    response = page(request, "admin/tokens.html", context, status=422 if errors else 200)
    if new_token:  # the only time the token is ever shown: keep it out of every cache
        response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/account/tokens")
def token_list(request: Request, uow: UowDep, account: CurrentAccount) -> HTMLResponse:
    return _tokens_page(request, uow, account)


@router.post("/account/tokens", response_model=None)
def create_token(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    account: CurrentAccount,
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    assert account.id is not None
    if not name.strip():
        errors = {"name": "Enter a name for the token, like 'Borough report script'"}
        return _tokens_page(request, uow, account, name=name, errors=errors)
    try:
        created = accounts.create_token(uow, clock, account.id, name)
    except Invalid:
        errors = {"name": "The name must be 60 characters or fewer"}
        return _tokens_page(request, uow, account, name=name, errors=errors)
    audit.record(uow.session, clock, account.id, "token-add", f"token {created.id}")
    return _tokens_page(request, uow, account, new_token=created.token)


@router.post("/account/tokens/{token_id}/revoke", response_model=None)
def revoke_token(
    request: Request, uow: UowDep, clock: ClockDep, account: CurrentAccount, token_id: int
) -> Response:
    audit.record(uow.session, clock, account.id, "token-revoke", f"token {token_id}")
    accounts.revoke_token(uow, clock, token_id, account.id)  # 404 unless their own
    notice.tell(request, "The token is revoked. It no longer works.")
    return RedirectResponse("/account/tokens", status_code=303)
