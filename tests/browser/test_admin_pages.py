"""The admin pages and the API tokens page in a real browser: no serious axe-core
violations, with and without errors, and an account added by keyboard alone."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from bot.models import Role
from tests.support import second_factor, world
from tests.support.axe import assert_accessible
from tests.support.live import LiveServer
from tests.support.web import PASSWORD, ROLE_EMAILS


def _log_in(live: LiveServer, page: Page, role: Role) -> None:
    page.goto(f"{live.url}/login")
    page.get_by_label("Email address").fill(ROLE_EMAILS[role])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if role in second_factor.ASKED:
        second_factor.enter_code(page, live.waymark, ROLE_EMAILS[role])
    page.wait_for_load_state()


def test_an_admin_adds_a_staff_account_by_keyboard_and_assigns_a_person(
    live: LiveServer, page: Page
) -> None:
    world.add_person(live.waymark)
    _log_in(live, page, Role.ADMIN)
    page.wait_for_url(f"{live.url}/accounts")
    assert_accessible(page)
    page.get_by_label("Email address").focus()
    page.keyboard.type("jo.staff@waymark.test")
    page.keyboard.press("Tab")
    page.keyboard.type("Jo")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # Coach -> IOM staff
    page.keyboard.press("Tab")
    page.keyboard.type("short")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("The password must be 12 characters")
    assert_accessible(page)

    page.get_by_label("First password").fill("a long new password")
    page.get_by_label("First password").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jo")
    expect(page.get_by_text("The account is added")).to_be_visible()
    page.get_by_label("Assign a person by case reference").fill("IOM-9999")
    page.get_by_label("Assign a person by case reference").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("No person has the case reference")
    assert_accessible(page)
    page.get_by_label("Assign a person by case reference").fill("IOM-0001")
    page.get_by_label("Assign a person by case reference").press("Enter")
    expect(page.get_by_role("cell", name="IOM-0001", exact=True)).to_be_visible()
    assert_accessible(page)


def test_the_audit_trail_passes_axe_with_and_without_a_filter_error(
    live: LiveServer, page: Page
) -> None:
    _log_in(live, page, Role.ADMIN)
    page.goto(f"{live.url}/audit")
    expect(page.get_by_role("cell", name="Logged in")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Case reference").fill("IOM-9999")
    page.get_by_label("Case reference").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("No person has this case reference")
    assert_accessible(page)


def test_a_new_api_token_is_shown_once_and_the_page_passes_axe(
    live: LiveServer, page: Page
) -> None:
    _log_in(live, page, Role.COACH)
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your API tokens")
    assert_accessible(page)
    page.get_by_label("Name").fill("caseload sync")
    page.get_by_role("button", name="Create a token").click()
    expect(page.locator("#new-token")).to_contain_text("wmk_")
    expect(page.get_by_text("You will not see it again")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Revoke the token caseload sync").click()
    expect(page.get_by_text("The token is revoked")).to_be_visible()
    expect(page.locator("#new-token")).to_have_count(0)
    assert_accessible(page)
