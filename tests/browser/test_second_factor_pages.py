"""Setting up the second factor and logging in with it, in a real browser: the QR code
and its key, a code typed to switch it on, recovery codes shown once, then a login that
asks for the app's code. The codes are computed as the phone's app would, with pyotp.
No serious axe-core violations on any of the pages."""

from __future__ import annotations

import pyotp
from playwright.sync_api import Page, expect

from bot.models import Role
from tests.support.axe import assert_accessible
from tests.support.fakes import FixedClock
from tests.support.live import LiveServer
from tests.support.web import PASSWORD, ROLE_EMAILS

COACH = ROLE_EMAILS[Role.COACH]


def _password(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.url}/login")
    page.get_by_label("Email address").fill(COACH)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_coach_sets_up_the_second_factor_and_logs_in_with_it(
    live: LiveServer, page: Page, clock: FixedClock
) -> None:
    _password(page, live)
    page.wait_for_url(f"{live.url}/people")
    page.get_by_role("link", name="Password and sign-in").click()
    page.get_by_role("link", name="Second factor (authenticator app)").click()
    expect(page.get_by_role("img", name="QR code to add Waymark to your authenticator app"))
    assert_accessible(page)
    app = pyotp.TOTP(page.locator("#totp-secret").inner_text())  # the phone's app
    page.get_by_label("Code from the app").fill("000000")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    assert_accessible(page)
    page.get_by_label("Code from the app").fill(app.at(clock.now()))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("The second factor is on")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(page)

    page.get_by_role("button", name="Log out").click()
    _password(page, live)
    page.wait_for_url(f"{live.url}/login/code")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    assert_accessible(page)
    clock.advance(seconds=30)  # the app shows its next code
    page.get_by_label("Code").fill(app.at(clock.now()))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live.url}/people")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_the_password_page_passes_axe_with_its_errors(live: LiveServer, page: Page) -> None:
    _password(page, live)
    page.wait_for_url(f"{live.url}/people")
    page.goto(f"{live.url}/account/password")
    assert_accessible(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("passwordpassword")
    page.get_by_label("New password again").fill("passwordpassword")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("too common")
    assert_accessible(page)
