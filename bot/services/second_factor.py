"""The second factor: a TOTP code (RFC 6238, six digits every 30 seconds, by pyotp) from an
authenticator app, or one of ten single-use recovery codes.

Set-up keeps a new secret on the account and switches the factor on only when the person
types a code it made, so a mistyped QR scan cannot lock anyone out. A code works once: the
account keeps the last 30-second step used and takes only later ones (one step either side
of now, for a phone's clock that is a little off). Recovery codes are random, shown once,
and kept as SHA-256 hashes. Wrong codes count as failed logins (bot/services/accounts.py's
throttle), so guessing a code is as slow as guessing a password.

Admins and managers must have it; everyone else may. The demo's own accounts are exempt,
but only inside `waymark demo` (Settings.run_as_demo; no environment variable sets it) and never
with WAYMARK_ENV=production. Nothing here commits: the route or the command does.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from sqlmodel import Session, col, delete, func, select

from bot.domain.clock import Clock
from bot.domain.errors import Invalid
from bot.models import Account, LoginAttempt, RecoveryCode, Role
from bot.settings import Environment, Settings

ISSUER = "Waymark"
REQUIRED_ROLES = frozenset({Role.ADMIN, Role.MANAGER})
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
DRIFT = 1  # steps either side of now


class WrongCode(Exception):
    """The code is not right (or was used already)."""


def is_on(account: Account) -> bool:
    return account.totp_on_at is not None and account.totp_secret is not None


def exempt(account: Account, settings: Settings) -> bool:
    """A demo account, inside the demo, outside production: logs in with a password only."""
    return account.demo_account and settings.demo and settings.env is not Environment.PRODUCTION


def required(account: Account, settings: Settings) -> bool:
    """An admin or manager who must set the second factor up before anything else."""
    return account.role in REQUIRED_ROLES and not is_on(account) and not exempt(account, settings)


def asks_code(account: Account, settings: Settings) -> bool:
    """After the right password, a code is needed before the session starts."""
    return is_on(account) and not exempt(account, settings)


def start(session: Session, account: Account) -> str:
    """The secret to show for set-up (the same one until it is confirmed)."""
    if is_on(account):
        raise Invalid("the second factor is on already")
    if account.totp_secret is None:
        account.totp_secret = pyotp.random_base32()
        session.add(account)
    return account.totp_secret


def setup_uri(account: Account) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    assert account.totp_secret is not None
    return pyotp.TOTP(account.totp_secret).provisioning_uri(name=account.email, issuer_name=ISSUER)


def _step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The 30-second step whose code this is (near now, later than `after`), or None."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - DRIFT, current + DRIFT + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _digits(code: str) -> str:
    return "".join(code.split())


def confirm(session: Session, clock: Clock, account: Account, code: str) -> list[str]:
    """Switch the factor on with a code from the app; the new recovery codes, shown once."""
    if is_on(account) or account.totp_secret is None:
        raise Invalid("there is no second factor being set up: start again")
    step = _step(account.totp_secret, _digits(code), clock.now(), None)
    if step is None:
        raise WrongCode
    account.totp_on_at = clock.now()
    account.totp_last_step = step
    account.session_epoch += 1  # sessions from before it was on end
    session.add(account)
    return new_recovery_codes(session, account)


def _hash(code: str) -> str:
    plain = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(plain.encode()).hexdigest()


def new_recovery_codes(session: Session, account: Account) -> list[str]:
    """Ten fresh codes (the old ones stop working): the only time they are seen."""
    assert account.id is not None
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.account_id) == account.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(account_id=account.id, code_hash=_hash(raw)))
    return codes


def recovery_codes_left(session: Session, account_id: int) -> int:
    query = select(func.count()).select_from(RecoveryCode)
    query = query.where(RecoveryCode.account_id == account_id, col(RecoveryCode.used_at).is_(None))
    return session.exec(query).one()


def check(session: Session, clock: Clock, account: Account, code: str) -> str:
    """'code' or 'recovery' for a right code (a recovery code is then used up); WrongCode."""
    if not is_on(account) or account.totp_secret is None or account.id is None:
        raise WrongCode
    typed = _digits(code)
    if typed.isdigit() and len(typed) == 6:  # six digits; a recovery code has ten characters
        step = _step(account.totp_secret, typed, clock.now(), account.totp_last_step)
        if step is None:
            raise WrongCode
        account.totp_last_step = step
        session.add(account)
        return "code"
    row = session.exec(
        select(RecoveryCode).where(
            RecoveryCode.account_id == account.id,
            RecoveryCode.code_hash == _hash(typed),
            col(RecoveryCode.used_at).is_(None),
        )
    ).first()
    if row is None:
        raise WrongCode
    row.used_at = clock.now()
    session.add(row)
    return "recovery"


def code_key(email: str) -> str:
    """Wrong codes are counted under a key of their own: a right password clears the wrong
    passwords of its email, and must not clear the wrong codes."""
    return f"code:{email}"[:254]


def record_wrong(session: Session, clock: Clock, key: str, client: str) -> None:
    """A failed try (a wrong code under `code_key`, or a wrong password under the email),
    counted by accounts.throttled like a failed login."""
    session.add(LoginAttempt(email=key[:254], client=client[:64], at=clock.now()))


def clear_wrong(session: Session, key: str) -> None:
    """After a right code, its wrong tries are forgotten."""
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.email) == key[:254]))


def turn_off(session: Session, account: Account) -> None:
    """Off, with its secret and recovery codes gone (a lost phone, or not wanted)."""
    account.totp_secret = None
    account.totp_on_at = None
    account.totp_last_step = None
    account.session_epoch += 1  # every session ends: the next login sets it up again
    session.add(account)
    assert account.id is not None
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.account_id) == account.id))
