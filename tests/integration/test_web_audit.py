"""The audit trail in the admin pages: every change is in it, filtered, paged and
exported as CSV (itself audited), with no cell that starts a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import re

import pytest

from bot.composition import Waymark
from bot.models import Role
from bot.services import audit
from bot.storage import committed
from tests.support import world
from tests.support.admin import NEW_PASSWORD, account_id, audit_trail
from tests.support.web import ROLE_EMAILS, Site


async def test_every_change_is_in_the_audit_trail_and_the_page_filters_it(
    site_waymark: Waymark, site: Site
) -> None:
    world.add_person(site_waymark)
    await site.login_as(Role.ADMIN)
    staff_id = account_id(site_waymark, ROLE_EMAILS[Role.STAFF])
    coach_id = account_id(site_waymark, ROLE_EMAILS[Role.COACH])
    await site.post(f"/accounts/{coach_id}/role", {"role": "staff"})
    await site.post(f"/accounts/{staff_id}/people", {"ref": "IOM-0001"})
    await site.post(f"/accounts/{staff_id}/password", {"password": NEW_PASSWORD})
    await site.post(f"/accounts/{staff_id}/logout")
    actions = [e.action for e in audit_trail(site_waymark)]
    assert actions == ["login", "role", "assign", "password", "logout-all"]

    everything = await site.get("/audit")
    assert everything.status_code == 200
    text = everything.text
    assert text.index("Logged out everywhere") < text.index("Changed the role of")  # newest first
    assert text.index("Changed the role of") < text.index("Logged in")
    assert "Mon 23 Nov 2026, 12:00:00" in text  # London time (GMT in November)
    assert "Dashboard" in text

    by_ref = await site.get("/audit", params={"ref": "iom-0001"})
    assert "Assigned a person to" in by_ref.text
    assert "Changed the role of" not in by_ref.text
    by_email = await site.get("/audit", params={"email": ROLE_EMAILS[Role.STAFF]})
    assert "No entries match this filter" in by_email.text  # staff did nothing themselves
    by_admin = await site.get("/audit", params={"email": ROLE_EMAILS[Role.ADMIN]})
    assert by_admin.text.count('<tr class="govuk-table__row">') == 1 + 5


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"email": "nobody@waymark.test"}, "No account has this email address"),
        ({"ref": "IOM-9999"}, "No person has this case reference"),
    ],
)
async def test_an_unknown_filter_is_named(site: Site, params: dict[str, str], message: str) -> None:
    await site.login_as(Role.ADMIN)
    for path in ("/audit", "/audit.csv"):
        response = await site.get(path, params=params)
        assert response.status_code == 422
        assert message in response.text


async def test_the_audit_trail_pages_older_entries(site_waymark: Waymark, site: Site) -> None:
    await site.login_as(Role.ADMIN)
    with committed(site_waymark.uow) as uow:
        for number in range(60):
            audit.record(uow.session, site_waymark.clock, None, "view", f"thing {number}")
        uow.commit()
    first = await site.get("/audit")
    assert "thing 59<" in first.text
    assert "thing 10<" in first.text
    assert "thing 9<" not in first.text
    older = re.search(r'href="(/audit\?before=\d+)"', first.text)
    assert older is not None
    second = await site.get(older.group(1))
    assert "thing 9<" in second.text
    assert "thing 0<" in second.text
    assert "thing 10<" not in second.text
    assert "Logged in" in second.text
    assert "Newest entries" in second.text
    assert "Older entries" not in second.text


async def test_the_audit_csv_has_a_header_and_the_rows_and_is_audited(
    site_waymark: Waymark, site: Site
) -> None:
    world.add_person(site_waymark)
    await site.login_as(Role.ADMIN)
    staff_id = account_id(site_waymark, ROLE_EMAILS[Role.STAFF])
    await site.post(f"/accounts/{staff_id}/people", {"ref": "IOM-0001"})
    response = await site.get("/audit.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["id", "time_london", "account", "action", "subject", "case_reference", "via"]
    # the export is written first, so it is in its own download, newest first
    assert [r[3] for r in rows[1:]] == ["export", "assign", "login"]
    assert rows[2][2:] == [
        ROLE_EMAILS[Role.ADMIN],
        "assign",
        f"staff {staff_id}",
        "IOM-0001",
        "web",
    ]
    assert rows[2][1] == "2026-11-23T12:00:00+00:00"

    filtered = await site.get("/audit.csv", params={"ref": "IOM-0001"})
    assert [r[3] for r in csv.reader(io.StringIO(filtered.text))] == ["action", "assign"]
    exports = [e for e in audit_trail(site_waymark) if e.action == "export"]
    assert [e.subject for e in exports] == ["audit", "audit"]


async def test_a_csv_cell_never_starts_a_spreadsheet_formula(
    site_waymark: Waymark, site: Site
) -> None:
    await site.login_as(Role.ADMIN)
    with committed(site_waymark.uow) as uow:
        audit.record(uow.session, site_waymark.clock, None, "view", "=HYPERLINK(1)")
        uow.commit()
    rows = list(csv.reader(io.StringIO((await site.get("/audit.csv")).text)))
    assert "'=HYPERLINK(1)" in [r[4] for r in rows]
