"""The tests' authenticator app: one known TOTP secret, switched on for an account as the
set-up page would, and the code it shows at the test's clock.

A code works once (the account keeps the last 30-second step used). Tests that log in
again and again under a clock that stands still would be refused a second time, as a
replayed code should be; `fresh_code` therefore forgets the last step first, as if the
app had moved on to its next code."""

from __future__ import annotations

import pyotp
from playwright.sync_api import Page

from bot.composition import Waymark
from bot.models import Account, Role
from bot.services import people

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ASKED = frozenset({Role.ADMIN, Role.MANAGER})  # add_accounts switches it on for these


def code_at(app: Waymark, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(app.clock.now())


def switch_on(app: Waymark, email: str, secret: str = SECRET) -> None:
    with app.uow() as uow:
        account = people.coach_by_email(uow.session, email)
        account.totp_secret = secret
        account.totp_on_at = app.clock.now()
        uow.session.add(account)
        uow.commit()


def fresh_code(app: Waymark, email: str) -> str:
    """The code now, with the last used step forgotten (the app has moved on)."""
    with app.uow() as uow:
        account: Account = people.coach_by_email(uow.session, email)
        account.totp_last_step = None
        uow.session.add(account)
        uow.commit()
    return code_at(app)


def enter_code(page: Page, app: Waymark, email: str) -> None:
    """In the browser: the code step after the password."""
    page.wait_for_url("**/login/code")
    page.get_by_label("Code").fill(fresh_code(app, email))
    page.get_by_role("button", name="Continue").click()
