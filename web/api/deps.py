"""What every API route depends on: the account its token belongs to (declared to OpenAPI
as the bearer scheme), the request's one unit of work, and the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.domain.clock import Clock
from bot.models import Account
from bot.services import audit
from bot.storage import UnitOfWork
from web.auth import ApiAccount

BEARER = HTTPBearer(
    auto_error=False,  # web.auth answers a missing or wrong token, in our words
    scheme_name="bearer",
    bearerFormat="wmk_...",
    description=(
        "A per-account API token, made on the dashboard's 'Your API tokens' page and shown "
        "once. It acts with its account's role."
    ),
)


def _account(
    account: ApiAccount,
    _: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)],
) -> Account:
    return account


Caller = Annotated[Account, Depends(_account)]


def note(
    uow: UnitOfWork,
    clock: Clock,
    account: Account,
    action: str,
    subject: str,
    person_id: int | None = None,
) -> None:
    """Add an audit entry to the unit of work: the service's commit takes it with the
    change, and a refusal takes neither."""
    audit.record(uow.session, clock, account.id, action, subject, person_id=person_id, via="api")


def viewed(
    uow: UnitOfWork, clock: Clock, account: Account, subject: str, person_id: int | None = None
) -> None:
    """A view of a person's data, recorded at once."""
    note(uow, clock, account, "view", subject, person_id)
