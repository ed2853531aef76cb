"""What the admin page tests share: the account an admin adds, and looking up accounts
and the audit trail."""

from __future__ import annotations

from sqlmodel import col, func, select

from bot.composition import Waymark
from bot.models import Account, AuditEntry
from bot.services import people
from bot.storage import committed

NEW_EMAIL = "jo.staff@waymark.test"
NEW_PASSWORD = "a long new password"


def account(app: Waymark, email: str) -> Account:
    with committed(app.uow) as uow:
        return people.coach_by_email(uow.session, email)


def account_id(app: Waymark, email: str) -> int:
    found = account(app, email).id
    assert found is not None
    return found


def audit_trail(app: Waymark) -> list[AuditEntry]:
    with committed(app.uow) as uow:
        return list(uow.session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all())


def count_accounts(app: Waymark) -> int:
    with committed(app.uow) as uow:
        return uow.session.exec(select(func.count()).select_from(Account)).one()
