"""The reports pages in a real browser: every report's chart and table, the list and the
export page pass axe-core with no serious violations, and the period is chosen by
keyboard."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from bot.models import Role
from bot.services.reports import REPORTS
from tests.support import report_figures, second_factor
from tests.support.axe import assert_accessible
from tests.support.live import LiveServer
from tests.support.web import PASSWORD, ROLE_EMAILS


def test_every_report_page_passes_axe(live: LiveServer, page: Page) -> None:
    report_figures.add(live.waymark)
    page.goto(f"{live.url}/login")
    page.get_by_label("Email address").fill(ROLE_EMAILS[Role.MANAGER])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    second_factor.enter_code(page, live.waymark, ROLE_EMAILS[Role.MANAGER])
    page.wait_for_url(f"{live.url}/reports")
    assert_accessible(page)
    for name in REPORTS:
        page.goto(f"{live.url}/reports/{name}")
        expect(page.locator(".wm-chart svg[role=img]")).to_have_count(1)
        expect(page.get_by_role("table")).to_have_count(1)
        assert_accessible(page)
    page.goto(f"{live.url}/reports/export")
    expect(page.get_by_role("link", name="Download the events as CSV")).to_be_visible()
    assert_accessible(page)


def test_a_chart_is_drawn_in_its_colours_under_the_csp(live: LiveServer, page: Page) -> None:
    """The chart's <style> carries the answer's nonce, so the browser applies it: the
    attended bars are GOV.UK green, not the black of an SVG without its style."""
    report_figures.add(live.waymark)
    page.goto(f"{live.url}/login")
    page.get_by_label("Email address").fill(ROLE_EMAILS[Role.MANAGER])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    second_factor.enter_code(page, live.waymark, ROLE_EMAILS[Role.MANAGER])
    page.wait_for_url(f"{live.url}/reports")
    page.goto(f"{live.url}/reports/attendance-by-month")
    bar = page.locator(".wm-chart svg .series.color-0 rect").first
    expect(bar).to_have_css("fill", "rgb(0, 112, 60)")  # #00703c, attended


def test_a_period_is_chosen_by_keyboard(live: LiveServer, page: Page) -> None:
    report_figures.add(live.waymark)
    page.goto(f"{live.url}/login")
    page.get_by_label("Email address").fill(ROLE_EMAILS[Role.COACH])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.goto(f"{live.url}/reports/attendance-by-month")
    page.get_by_label("First day").fill("2026-10-01")
    page.get_by_label("Last day").fill("2026-09-01")
    page.get_by_label("Last day").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("The last day must be on or after")
    assert_accessible(page)
    page.get_by_label("Last day").fill("2026-10-31")
    page.get_by_role("button", name="Show this period").press("Enter")
    expect(page.get_by_text("1 October 2026 to 31 October 2026", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name="October 2026")).to_contain_text("6")
