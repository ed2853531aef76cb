"""A person's data on the dashboard in a real browser: a coach asks for an export and
closes the case; the admin finds the request, downloads the export, erases the record in
two steps and reads the retention page. No serious axe-core violations on any of them."""

from __future__ import annotations

import io
import zipfile

from playwright.sync_api import Page, expect

from bot.models import Person, Role
from tests.support import second_factor, world
from tests.support.axe import assert_accessible
from tests.support.caseloads import rows
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


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def test_a_coach_asks_and_closes_an_admin_exports_and_erases(live: LiveServer, page: Page) -> None:
    world.add_person(live.waymark)
    _log_in(live, page, Role.COACH)
    page.goto(f"{live.url}/people/IOM-0001")
    page.get_by_text("End of supervision and their data").click()
    page.get_by_role("button", name="Ask for their export").click()
    expect(page.get_by_role("alert")).to_contain_text("An admin has been asked")
    page.get_by_text("End of supervision and their data").click()
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_role("alert")).to_contain_text("The case is closed.")
    expect(page.get_by_text("This case was closed on")).to_be_visible()
    assert_accessible(page)
    _log_out(page)

    _log_in(live, page, Role.ADMIN)
    page.get_by_role("link", name="Records").click()
    assert_accessible(page)
    page.get_by_role("link", name="IOM-0001").click()
    expect(page.get_by_text("Their coach has asked for their export.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Download their export").click()
    download = waiting.value
    assert download.suggested_filename == "subject-access-IOM-0001.zip"
    path = download.path()
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        assert "subject-access-IOM-0001.html" in archive.namelist()

    page.get_by_role("link", name="Erase this record").click()
    expect(page.get_by_text("Step 1 of 2")).to_be_visible()
    page.get_by_label("Why is it erased?").fill("Sam asked for it")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("must not name the person")
    assert_accessible(page)
    page.get_by_label("Why is it erased?").fill("request by letter")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Step 2 of 2")).to_be_visible()
    page.get_by_label("Type the case reference IOM-0001 to erase the record").fill("IOM-0001")
    assert_accessible(page)
    page.get_by_role("button", name="Erase the record for good").click()
    expect(page.get_by_role("alert")).to_contain_text("The record is erased")
    assert rows(live.waymark, Person) == []

    page.get_by_role("link", name="Retention").click()
    expect(page.get_by_role("heading", name="Periods, and what is past them now")).to_be_visible()
    assert_accessible(page)
