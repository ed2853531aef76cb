"""Accounts for the dashboard and the API: roles, passwords, logins and API tokens.

Passwords are hashed with argon2id (argon2-cffi, the reference implementation's binding,
with its recommended parameters); a hash made with older parameters is upgraded at the
next login. Failed logins are counted in the database, so the throttle holds across
restarts and workers: five failures for one email, or twenty from one address, in fifteen
minutes lock further tries until the window passes. A correct password inside a locked
window is refused too, so the lock cannot be probed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import ValidationError
from sqlmodel import Session, col, delete, func, select

from bot.domain.clock import Clock
from bot.domain.errors import Duplicate, Invalid, NotFound
from bot.models import Account, AccountCreate, ApiToken, LoginAttempt, Person, Role, StaffAssignment
from bot.services import passwords
from bot.services.people import validation_message
from bot.storage import UnitOfWork

HASHER = passwords.HASHER
MIN_PASSWORD = passwords.MIN_PASSWORD
MAX_PASSWORD = passwords.MAX_PASSWORD
EMAIL_FAILURES = 5
CLIENT_FAILURES = 20
WINDOW = timedelta(minutes=15)
TOKEN_PREFIX = "wmk_"  # noqa: S105 - a prefix that names the kind of token, not a secret


class LoginRefused(Exception):
    """Wrong email or password, or too many tries: said the same way to the person."""

    def __init__(self, throttled: bool) -> None:
        super().__init__("throttled" if throttled else "wrong email or password")
        self.throttled = throttled


check_password = passwords.check_password  # length and the common-password list


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise Invalid(f"role must be one of {roles}, not {value!r}") from None


def add_account(
    uow: UnitOfWork,
    clock: Clock,
    *,
    email: str,
    name: str,
    role: Role = Role.COACH,
    password: str | None = None,
) -> Account:
    try:
        data = AccountCreate(email=email, name=name, role=role)
    except ValidationError as error:
        raise Invalid(validation_message(error)) from None
    session = uow.session
    if session.exec(select(Account).where(Account.email == data.email)).first() is not None:
        raise Duplicate(f"an account with the email {data.email!r} exists already")
    account = Account.model_validate(data, update={"created_at": clock.now()})
    if password is not None:
        account.password_hash = HASHER.hash(check_password(password))
    session.add(account)
    uow.flush()
    return account


def account(session: Session, account_id: int) -> Account:
    found = session.get(Account, account_id)
    if found is None:
        raise NotFound(f"no account {account_id}")
    return found


def all_accounts(session: Session) -> list[Account]:
    return list(session.exec(select(Account).order_by(col(Account.role), col(Account.name))).all())


def set_password(uow: UnitOfWork, account_id: int, password: str) -> None:
    found = account(uow.session, account_id)
    found.password_hash = HASHER.hash(check_password(password))
    found.session_epoch += 1  # every session of the account ends
    uow.session.add(found)
    uow.flush()


def update_account(
    uow: UnitOfWork, account_id: int, *, role: Role | None = None, active: bool | None = None
) -> Account:
    found = account(uow.session, account_id)
    if role is not None:
        found.role = role
    if active is not None:
        found.active = active
    found.session_epoch += 1  # a changed role or a closed account applies at once
    uow.session.add(found)
    uow.flush()
    return found


def end_sessions(uow: UnitOfWork, account_id: int) -> None:
    found = account(uow.session, account_id)
    found.session_epoch += 1
    uow.session.add(found)
    uow.flush()


def throttled(session: Session, clock: Clock, email: str, client: str) -> bool:
    since = clock.now() - WINDOW
    recent = select(func.count()).select_from(LoginAttempt).where(col(LoginAttempt.at) >= since)
    by_email = session.exec(recent.where(LoginAttempt.email == email)).one()
    by_client = session.exec(recent.where(LoginAttempt.client == client)).one()
    return by_email >= EMAIL_FAILURES or by_client >= CLIENT_FAILURES


def log_in(uow: UnitOfWork, clock: Clock, email: str, password: str, client: str) -> Account:
    """The account for this email and password, or LoginRefused. Failures are recorded."""
    session = uow.session
    email = email.strip().lower()[:254]
    client = client[:64]
    if throttled(session, clock, email, client):
        raise LoginRefused(throttled=True)
    found = session.exec(select(Account).where(Account.email == email)).first()
    ok = False
    if found is not None and found.active and found.password_hash is not None:
        try:
            ok = HASHER.verify(found.password_hash, password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            ok = False
    else:  # spend the same time, so a missing account does not answer faster
        HASHER.hash(password[:MAX_PASSWORD] or "x")
    if not ok or found is None:
        session.add(LoginAttempt(email=email, client=client, at=clock.now()))
        uow.flush()
        raise LoginRefused(throttled=False)
    if HASHER.check_needs_rehash(found.password_hash or ""):
        found.password_hash = HASHER.hash(password)
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.email) == email))
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.at) < clock.now() - WINDOW))
    session.add(found)
    uow.flush()
    return found


@dataclass(frozen=True)
class NewToken:
    id: int
    token: str  # shown once; only its hash is kept


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(uow: UnitOfWork, clock: Clock, account_id: int, name: str) -> NewToken:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 60:
        raise Invalid("a token needs a name of 1 to 60 characters, to know it by")
    account(uow.session, account_id)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        account_id=account_id, name=name, token_hash=_hash_token(token), created_at=clock.now()
    )
    uow.session.add(row)
    uow.flush()
    assert row.id is not None
    return NewToken(row.id, token)


def tokens_of(session: Session, account_id: int) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.account_id == account_id).order_by(col(ApiToken.id))
    return list(session.exec(query).all())


def revoke_token(uow: UnitOfWork, clock: Clock, token_id: int, account_id: int | None) -> None:
    """Revoke a token; with `account_id`, only that account's own."""
    row = uow.session.get(ApiToken, token_id)
    if row is None or (account_id is not None and row.account_id != account_id):
        raise NotFound(f"no token {token_id}")
    row.revoked_at = row.revoked_at or clock.now()
    uow.session.add(row)
    uow.flush()


def account_for_token(uow: UnitOfWork, clock: Clock, token: str) -> Account | None:
    """The active account a live token belongs to; marks the token used."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    session = uow.session
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == _hash_token(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    found = session.get(Account, row.account_id)
    if found is None or not found.active:
        return None
    now = clock.now()
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
        row.last_used_at = now  # written at most every five minutes: not a write per call
        session.add(row)
        uow.flush()
    return found


def assign(uow: UnitOfWork, clock: Clock, staff_id: int, person_id: int) -> None:
    """An IOM staff member manages this person (sees attendance and engagement)."""
    staff = account(uow.session, staff_id)
    if staff.role != Role.STAFF:
        raise Invalid(f"{staff.email} is not IOM staff; only staff accounts are assigned people")
    if uow.session.get(Person, person_id) is None:
        raise NotFound(f"no person {person_id}")
    exists = uow.session.exec(
        select(StaffAssignment).where(
            StaffAssignment.account_id == staff_id, StaffAssignment.person_id == person_id
        )
    ).first()
    if exists is None:
        uow.session.add(
            StaffAssignment(account_id=staff_id, person_id=person_id, created_at=clock.now())
        )
    uow.flush()


def unassign(uow: UnitOfWork, staff_id: int, person_id: int) -> None:
    uow.session.exec(
        delete(StaffAssignment).where(
            col(StaffAssignment.account_id) == staff_id,
            col(StaffAssignment.person_id) == person_id,
        )
    )
    uow.flush()


def assigned_people(session: Session, staff_id: int) -> list[int]:
    query = select(StaffAssignment.person_id).where(StaffAssignment.account_id == staff_id)
    return list(session.exec(query).all())


def staff_of(session: Session, person_id: int) -> list[Account]:
    query = (
        select(Account)
        .join(StaffAssignment, col(StaffAssignment.account_id) == col(Account.id))
        .where(StaffAssignment.person_id == person_id)
    )
    return list(session.exec(query).all())
