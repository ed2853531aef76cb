"""Who is asking: the dashboard's signed session cookie, or an API token.

The session cookie is Starlette's SessionMiddleware (signed with itsdangerous, expiring
after WEB_SESSION_HOURS). It holds the account id and the account's session epoch: raising
the epoch (logout everywhere, a new password, a changed role or a closed account) ends
every session of that account at once. A forged, altered or expired cookie reads as no
session, so the person is asked to log in. An admin or manager without a second factor is
signed in but may use only the set-up page (SignedInAccount) until it is on.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bot.models import Account
from bot.services import accounts, second_factor
from web.deps import ClockDep, SettingsDep, UowDep


class LoginRequired(Exception):
    """No valid session: the dashboard sends the browser to the login page."""


class SecondFactorRequired(Exception):
    """An admin or manager without a second factor: sent to set it up, nothing else."""


class TokenRequired(Exception):
    """No valid API token: the API answers 401."""


def begin_session(request: Request, account: Account) -> None:
    request.session.clear()
    request.session.update({"account": account.id, "epoch": account.session_epoch})


def begin_pending(request: Request, account: Account, next_path: str, at: float) -> None:
    """The right password, but no session yet: the second factor is asked first."""
    request.session.clear()
    request.session["pending"] = {
        "account": account.id,
        "epoch": account.session_epoch,
        "next": next_path,
        "at": at,
    }


def end_session(request: Request) -> None:
    request.session.clear()


def _signed_in(request: Request, uow: UowDep) -> Account:
    account_id = request.session.get("account")
    if not isinstance(account_id, int):
        raise LoginRequired
    found = uow.session.get(Account, account_id)
    if found is None or not found.active or request.session.get("epoch") != found.session_epoch:
        request.session.clear()
        raise LoginRequired
    request.state.account = found
    return found


def _session_account(
    found: Annotated[Account, Depends(_signed_in)], settings: SettingsDep
) -> Account:
    if second_factor.required(found, settings):
        raise SecondFactorRequired
    return found


def _token_account(request: Request, uow: UowDep, clock: ClockDep) -> Account:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise TokenRequired
    found = accounts.account_for_token(uow, clock, token.strip())
    if found is None:
        raise TokenRequired
    request.state.account = found
    return found


CurrentAccount = Annotated[Account, Depends(_session_account)]
SignedInAccount = Annotated[Account, Depends(_signed_in)]  # even before a required 2FA
ApiAccount = Annotated[Account, Depends(_token_account)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
