"""What a dashboard password must be: 12 to 200 characters, no space at either end, and
not a common or breached password.

The list is the one zxcvbn ships (its `passwords` frequency list: the 30,000 passwords
seen most often in public breach dumps), read from the installed package, so nothing is
fetched at run time. A password in that list is refused, whatever its case; so is one
that zxcvbn's estimate shows is built from such lists (a listed password or word repeated,
with a year, a keyboard row or a few digits): fewer than 10^8 guesses for someone who has
them. zxcvbn is a maintained port of Dropbox's estimator; shipping our own file would mean
keeping a copy of somebody's list up to date by hand.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session

from bot.domain.errors import Invalid
from bot.models import Account

HASHER = PasswordHasher()  # argon2id, argon2-cffi's recommended parameters
MIN_PASSWORD = 12
MAX_PASSWORD = 200
ESTIMATED = 72  # zxcvbn's own limit: past it, the start of the password is what it judges
WEAKEST_SCORE = 3  # zxcvbn's score 3: 10^8 guesses or more


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # large: loaded once, when needed

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    """In the list of common and breached passwords, or made from it."""
    from zxcvbn import zxcvbn  # its lists load on first use

    if password.lower() in _common():
        return True
    score: int = zxcvbn(password[:ESTIMATED])["score"]
    return score < WEAKEST_SCORE


def check_password(password: str) -> str:
    """The password, or Invalid saying what is wrong with it."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise Invalid(f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    if password.strip() != password:
        raise Invalid("a password cannot start or end with a space")
    if is_common(password):
        raise Invalid(
            "that password is too common: it is in lists of breached passwords, or made "
            "from them. Try three or four words that mean something to you"
        )
    return password


class WrongPassword(Exception):
    """The current password typed is not the account's."""


def matches(password_hash: str | None, password: str) -> bool:
    if password_hash is None:
        return False
    try:
        return HASHER.verify(password_hash, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return False


def change_own(session: Session, account: Account, current: str, new: str, again: str) -> None:
    """An account changes its own password: the current one first, the new one twice.
    Every other session of the account ends (the caller starts this one afresh)."""
    if not matches(account.password_hash, current):
        raise WrongPassword
    if new != again:
        raise Invalid("the two new passwords are not the same")
    if new == current:
        raise Invalid("the new password is the one you have now: choose another")
    account.password_hash = HASHER.hash(check_password(new))
    account.session_epoch += 1
    session.add(account)
