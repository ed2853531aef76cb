"""The reports pages through the web app: each report as a chart and a table for every
role that may see it, counted over that role's own people, small numbers shown as "fewer
than 5", CSV downloads, the pseudonymised event export for managers only, and the audit
of every view and download."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import col, select

from bot.composition import Waymark
from bot.models import AuditEntry, Role
from bot.services import accounts, reports
from bot.services.reports.export import EVENT_HEADINGS
from bot.storage import committed
from tests.support import report_figures
from tests.support.caseloads import OTHER_COACH, account_id
from tests.support.web import ROLE_EMAILS, Site
from web.pages.reports import SUMMARIES

SAM, ALEX = report_figures.SAM, report_figures.ALEX
NAMES = list(reports.REPORTS)
MAY_SEE = [Role.COACH, Role.STAFF, Role.MANAGER]


@pytest.fixture
def figures(site_waymark: Waymark, site: Site) -> Waymark:
    """Sam (the coach's, assigned to the IOM staff member): 6 attended and 2 missed in
    October. Alex (another coach's): 7 attended and 6 missed."""
    report_figures.add(site_waymark)
    return site_waymark


def _october(html: str) -> list[str]:
    """The cells of the October row of the attendance table, as shown."""
    row = html.split('<th scope="row" class="govuk-table__header">October 2026</th>')[1]
    row = row.split("</tr>")[0]
    return [cell.split(">")[1].split("<")[0] for cell in row.split("<td")[1:]]


def _audit(app: Waymark) -> list[tuple[str, str]]:
    with committed(app.uow) as uow:
        query = select(AuditEntry.action, AuditEntry.subject).order_by(col(AuditEntry.id))
        return [(a, s) for a, s in uow.session.exec(query).all()]


@pytest.mark.parametrize("role", MAY_SEE)
async def test_every_report_shows_its_chart_and_its_table(
    figures: Waymark, site: Site, role: Role
) -> None:
    await site.login_as(role)
    listing = await site.get("/reports")
    assert listing.status_code == 200
    for name in NAMES:
        response = await site.get(f"/reports/{name}")
        assert response.status_code == 200, name
        html = response.text
        title = html.split('<h1 class="govuk-heading-l">')[1].split("</h1>")[0]
        assert SUMMARIES[name][0] == title  # the list's words are the report's own
        assert f'href="/reports/{name}?first=2025-12-01&amp;last=2026-11-23"' in listing.text
        chart = html.split('<div class="wm-chart">')[1].split("</div>")[0]
        assert chart.lstrip().startswith("<svg")
        assert 'role="img"' in chart
        assert "<script" not in html
        assert '<table class="govuk-table">' in html
        assert html.index("<svg") < html.index("<table")  # the chart, then its numbers
        assert f'href="/reports/{name}.csv?first=2025-12-01&amp;last=2026-11-23"' in html
    entries = _audit(figures)
    assert [s for a, s in entries if a == "view"] == [f"report {n}" for n in NAMES]


@pytest.mark.parametrize(
    ("role", "october"),
    [
        (Role.MANAGER, ["13", "8", "fewer than 5", "62%"]),  # everyone
        (Role.COACH, ["6", "fewer than 5", "fewer than 5", "fewer than 5"]),  # Sam only
        (Role.STAFF, ["6", "fewer than 5", "fewer than 5", "fewer than 5"]),  # assigned: Sam
    ],
)
async def test_each_role_counts_its_own_people_and_small_numbers_are_hidden(
    figures: Waymark, site: Site, role: Role, october: list[str]
) -> None:
    await site.login_as(role)
    html = (await site.get("/reports/attendance-by-month")).text
    assert _october(html) == october
    assert "Numbers under 5 are hidden" in html


async def test_another_coachs_people_count_in_their_own_reports_only(
    figures: Waymark, site: Site
) -> None:
    with committed(figures.uow) as uow:
        accounts.set_password(uow, account_id(figures, OTHER_COACH), "olu's password 1")
    await site.login(OTHER_COACH, "olu's password 1")
    html = (await site.get("/reports/attendance-by-month")).text
    assert _october(html) == ["7", "6", "fewer than 5", "54%"]  # Alex only


async def test_a_period_narrows_the_report(figures: Waymark, site: Site) -> None:
    await site.login_as(Role.MANAGER)
    params = {"first": "2026-10-01", "last": "2026-10-31"}
    html = (await site.get("/reports/attendance-by-month", params=params)).text
    assert "1 October 2026 to 31 October 2026" in html
    assert "November 2026</th>" not in html
    assert _october(html)[:2] == ["13", "8"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"first": "2026-13-01"}, "first", "Enter a real date"),
        ({"first": "2026-10-02", "last": "2026-10-01"}, "last", "on or after the first day"),
        ({"first": "2015-01-01", "last": "2026-10-01"}, "first", "five years at most"),
    ],
)
async def test_a_bad_period_is_named_on_its_field(
    figures: Waymark, site: Site, params: dict[str, str], field: str, message: str
) -> None:
    await site.login_as(Role.MANAGER)
    for path in ("/reports", "/reports/need-by-borough", "/reports/export"):
        response = await site.get(path, params=params)
        assert response.status_code == 422, path
        assert message in response.text
        assert f'id="{field}-error"' in response.text
        assert "<svg" not in response.text
    for path in ("/reports/need-by-borough.csv", "/reports/export.csv"):
        response = await site.get(path, params=params)
        assert response.status_code == 422, path
        assert message in response.text
    assert [a for a, _ in _audit(figures) if a != "login"] == []


async def test_an_unknown_report_is_not_found(figures: Waymark, site: Site) -> None:
    await site.login_as(Role.COACH)
    assert (await site.get("/reports/everything")).status_code == 404
    assert (await site.get("/reports/everything.csv")).status_code == 404


async def test_a_report_downloads_as_csv_with_hidden_numbers_marked(
    figures: Waymark, site: Site
) -> None:
    await site.login_as(Role.STAFF)
    response = await site.get("/reports/attendance-by-month.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert (
        'filename="waymark-attendance-by-month-2025-12-01-2026-11-23.csv"'
        in (response.headers["content-disposition"])
    )
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["Month", "Attended", "Missed", "Rescheduled", "Attendance rate (%)"]
    assert ["October 2026", "6", "<5", "<5", "<5"] in rows
    assert len(rows) == 1 + 12
    assert ("export", "report attendance-by-month") in _audit(figures)


async def test_a_manager_reads_what_the_export_holds_then_downloads_it(
    figures: Waymark, site: Site
) -> None:
    await site.login_as(Role.MANAGER)
    listing = await site.get("/reports")
    assert 'href="/reports/export?first=2025-12-01&amp;last=2026-11-23"' in listing.text
    explained = await site.get("/reports/export")
    assert explained.status_code == 200
    assert "Pseudonymised data is still personal data" in explained.text
    assert 'href="/reports/export.csv?first=2025-12-01&amp;last=2026-11-23"' in explained.text

    response = await site.get("/reports/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == EVENT_HEADINGS
    sent_and_replies = 2 * (6 + 2 + 7 + 6) - (2 + 6)  # each sent; the attended answered
    assert len(rows) == 1 + sent_and_replies
    text = response.text
    for private in (SAM, ALEX, "Sam", "Alex", "Sam here", ROLE_EMAILS[Role.COACH]):
        assert private not in text
    people = {row[0] for row in rows[1:]}
    assert len(people) == 2
    assert all(len(p) == 32 for p in people)
    again = list(csv.reader(io.StringIO((await site.get("/reports/export.csv")).text)))
    assert {row[0] for row in again[1:]} == people  # the same key, the same pseudonyms
    assert [s for a, s in _audit(figures) if a == "export"] == ["report events"] * 2


@pytest.mark.parametrize("role", [Role.COACH, Role.STAFF])
async def test_only_managers_may_export_events(figures: Waymark, site: Site, role: Role) -> None:
    await site.login_as(role)
    assert "/reports/export" not in (await site.get("/reports")).text
    assert (await site.get("/reports/export")).status_code == 403
    assert (await site.get("/reports/export.csv")).status_code == 403
    assert "export" not in [a for a, _ in _audit(figures)]


async def test_an_admin_sees_no_reports(figures: Waymark, site: Site) -> None:
    await site.login_as(Role.ADMIN)
    for path in (
        "/reports",
        "/reports/need-by-borough",
        "/reports/need-by-borough.csv",
        "/reports/export",
        "/reports/export.csv",
    ):
        assert (await site.get(path)).status_code == 403, path
    assert [a for a, _ in _audit(figures)] == ["login"]
