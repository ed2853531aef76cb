"""The login page in a real browser: by keyboard alone, and with no serious axe-core
violations."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from bot.models import Role
from tests.support.axe import assert_accessible
from tests.support.live import LiveServer
from tests.support.second_factor import fresh_code
from tests.support.web import PASSWORD, ROLE_EMAILS


def test_the_login_page_passes_axe(live: LiveServer, page: Page) -> None:
    page.goto(f"{live.url}/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Waymark")
    assert_accessible(page)


def test_logging_in_by_keyboard_alone(live: LiveServer, page: Page) -> None:
    page.goto(f"{live.url}/login")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_text("Skip to main content")).to_be_focused()
    page.get_by_label("Email address").focus()
    page.keyboard.type(ROLE_EMAILS[Role.MANAGER])
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/login/code")  # a manager has a second factor: its code, by keyboard
    page.get_by_label("Code").focus()
    page.keyboard.type(fresh_code(live.waymark, ROLE_EMAILS[Role.MANAGER]))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live.url}/reports**")


def test_a_wrong_password_is_announced_in_the_error_summary(live: LiveServer, page: Page) -> None:
    page.goto(f"{live.url}/login")
    page.get_by_label("Email address").fill(ROLE_EMAILS[Role.COACH])
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("The email address or password is not right")
    assert_accessible(page)
