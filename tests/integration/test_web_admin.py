"""The admin pages and API tokens, through the web app as a browser uses it: accounts,
roles, deactivation, passwords, assignments, the audit trail and its CSV, and tokens."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import AsyncIterator

import pytest
from sqlmodel import col, func, select

from bot.composition import Waymark
from bot.models import Account, ApiToken, AuditEntry, Role
from bot.services import accounts, audit, people
from tests.support import world
from tests.support.web import PASSWORD, ROLE_EMAILS, Site
from web.app import create_app
from web.pages.admin import LAST_ADMIN

NEW_EMAIL = "jo.staff@waymark.test"
NEW_PASSWORD = "a long new password"


@pytest.fixture
async def other(site_waymark: Waymark, site: Site) -> AsyncIterator[Site]:
    """A second browser (on a second worker), for the account an admin changes."""
    async with Site(create_app(site_waymark)) as browser:
        yield browser


def _account(app: Waymark, email: str) -> Account:
    with app.uow() as uow:
        return people.coach_by_email(uow.session, email)


def _id(app: Waymark, email: str) -> int:
    found = _account(app, email).id
    assert found is not None
    return found


def _audit(app: Waymark) -> list[AuditEntry]:
    with app.uow() as uow:
        return list(uow.session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all())


def _count_accounts(app: Waymark) -> int:
    with app.uow() as uow:
        return uow.session.exec(select(func.count()).select_from(Account)).one()


async def test_an_admin_adds_a_staff_account_that_then_logs_in(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await site.login_as(Role.ADMIN)
    listing = await site.get("/accounts")
    assert listing.status_code == 200
    assert ROLE_EMAILS[Role.MANAGER] in listing.text
    data = {"email": NEW_EMAIL, "name": "Jo", "role": "staff", "password": NEW_PASSWORD}
    added = await site.post("/accounts", data)
    assert added.status_code == 303
    new_id = _id(site_waymark, NEW_EMAIL)
    assert added.headers["location"] == f"/accounts/{new_id}"
    shown = await site.get(added.headers["location"])
    assert "The account is added" in shown.text
    assert "People assigned" in shown.text  # a staff account's page
    assert _account(site_waymark, NEW_EMAIL).role == Role.STAFF

    login = await other.login(NEW_EMAIL, NEW_PASSWORD)
    assert login.status_code == 303
    assert login.headers["location"] == "/people"
    actions = [(e.action, e.subject, e.account_id) for e in _audit(site_waymark)]
    admin_id = _id(site_waymark, ROLE_EMAILS[Role.ADMIN])
    assert ("account-add", f"account {new_id}", admin_id) in actions


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": ""}, "email", "Enter an email address"),
        ({"email": "not-an-address"}, "email", "Enter an email address in the right format"),
        ({"email": ROLE_EMAILS[Role.COACH]}, "email", "An account with this email address exists"),
        ({"name": "  "}, "name", "Enter the name of the person"),
        ({"password": "too short"}, "password", "The password must be 12 characters or more"),
        ({"password": ""}, "password", "Enter a password of 12 characters or more"),
        ({"password": " spaces around it "}, "password", "cannot start or end with a space"),
        ({"role": "superuser"}, "role", "Choose a role from the list"),
    ],
)
async def test_a_bad_new_account_is_refused_and_nothing_is_saved(
    site_waymark: Waymark, site: Site, data: dict[str, str], field: str, message: str
) -> None:
    await site.login_as(Role.ADMIN)
    before = _count_accounts(site_waymark)
    form = {"email": NEW_EMAIL, "name": "Jo", "role": "staff", "password": NEW_PASSWORD} | data
    response = await site.post("/accounts", form)
    assert response.status_code == 422
    assert message in response.text
    assert f'id="{field}-error"' in response.text  # on the field, and in the summary
    assert f'href="#{field}"' in response.text
    assert PASSWORD not in response.text
    assert NEW_PASSWORD not in response.text
    assert _count_accounts(site_waymark) == before
    assert [e for e in _audit(site_waymark) if e.action == "account-add"] == []


async def test_a_changed_role_ends_the_accounts_open_session(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.COACH)
    assert (await other.get("/")).headers["location"] == "/people"
    await site.login_as(Role.ADMIN)
    coach_id = _id(site_waymark, ROLE_EMAILS[Role.COACH])
    changed = await site.post(f"/accounts/{coach_id}/role", {"role": "manager"})
    assert changed.status_code == 303
    assert "The role is now Manager" in (await site.get(f"/accounts/{coach_id}")).text
    assert _account(site_waymark, ROLE_EMAILS[Role.COACH]).role == Role.MANAGER
    assert (await other.get("/")).headers["location"].startswith("/login")
    await other.login_as(Role.COACH)  # logs in again, now as a manager
    assert (await other.get("/")).headers["location"] == "/reports"


async def test_an_unknown_role_is_refused_on_the_account_page(
    site_waymark: Waymark, site: Site
) -> None:
    await site.login_as(Role.ADMIN)
    coach_id = _id(site_waymark, ROLE_EMAILS[Role.COACH])
    response = await site.post(f"/accounts/{coach_id}/role", {"role": "owner"})
    assert response.status_code == 422
    assert "Choose a role from the list" in response.text
    assert _account(site_waymark, ROLE_EMAILS[Role.COACH]).role == Role.COACH


async def test_a_deactivated_account_cannot_log_in_until_it_is_reactivated(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.COACH)
    await site.login_as(Role.ADMIN)
    coach_id = _id(site_waymark, ROLE_EMAILS[Role.COACH])
    assert (await site.post(f"/accounts/{coach_id}/active", {"active": "no"})).status_code == 303
    assert (await other.get("/")).headers["location"].startswith("/login")
    refused = await other.login(ROLE_EMAILS[Role.COACH])
    assert refused.status_code == 422
    assert (await site.post(f"/accounts/{coach_id}/active", {"active": "yes"})).status_code == 303
    assert (await other.login(ROLE_EMAILS[Role.COACH])).status_code == 303
    actions = [e.action for e in _audit(site_waymark) if e.subject == f"account {coach_id}"]
    assert actions == ["deactivate", "reactivate"]


async def test_a_new_password_works_and_ends_the_old_sessions(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.STAFF)
    await site.login_as(Role.ADMIN)
    staff_id = _id(site_waymark, ROLE_EMAILS[Role.STAFF])
    short = await site.post(f"/accounts/{staff_id}/password", {"password": "short"})
    assert short.status_code == 422
    assert "12 characters or more" in short.text
    assert (await other.get("/")).status_code == 303  # still logged in: nothing changed
    assert (await other.get("/")).headers["location"] == "/people"
    done = await site.post(f"/accounts/{staff_id}/password", {"password": NEW_PASSWORD})
    assert done.status_code == 303
    assert (await other.get("/")).headers["location"].startswith("/login")
    assert (await other.login(ROLE_EMAILS[Role.STAFF])).status_code == 422
    assert (await other.login(ROLE_EMAILS[Role.STAFF], NEW_PASSWORD)).status_code == 303


async def test_an_admin_who_sets_their_own_password_stays_logged_in_here(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.ADMIN)
    await site.login_as(Role.ADMIN)
    admin_id = _id(site_waymark, ROLE_EMAILS[Role.ADMIN])
    done = await site.post(f"/accounts/{admin_id}/password", {"password": NEW_PASSWORD})
    assert done.headers["location"] == f"/accounts/{admin_id}"
    assert (await site.get("/accounts")).status_code == 200
    assert (await other.get("/accounts")).headers["location"].startswith("/login")


async def test_log_out_everywhere_ends_every_session_of_the_account(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.MANAGER)
    await site.login_as(Role.ADMIN)
    manager_id = _id(site_waymark, ROLE_EMAILS[Role.MANAGER])
    assert (await site.post(f"/accounts/{manager_id}/logout")).status_code == 303
    assert (await other.get("/")).headers["location"].startswith("/login")
    assert (await site.get("/accounts")).status_code == 200  # the admin's own session stays
    assert [e.action for e in _audit(site_waymark)][-1] == "logout-all"


async def test_a_person_assigned_to_staff_is_theirs_until_removed(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    person = world.add_person(site_waymark)
    assert person.id is not None
    await other.login_as(Role.STAFF)
    assert "IOM-0001" not in (await other.get("/people")).text
    await site.login_as(Role.ADMIN)
    staff_id = _id(site_waymark, ROLE_EMAILS[Role.STAFF])
    added = await site.post(f"/accounts/{staff_id}/people", {"ref": " iom-0001 "})
    assert added.status_code == 303
    page = await site.get(f"/accounts/{staff_id}")
    assert "now sees IOM-0001" in page.text
    assert '<td class="govuk-table__cell">IOM-0001</td>' in page.text
    with site_waymark.uow() as uow:
        assert accounts.assigned_people(uow.session, staff_id) == [person.id]
    assert "IOM-0001" in (await other.get("/people")).text  # staff see them at once
    again = await site.post(f"/accounts/{staff_id}/people", {"ref": "IOM-0001"})
    assert again.status_code == 303
    assert "was assigned already" in (await site.get(f"/accounts/{staff_id}")).text

    removed = await site.post(f"/accounts/{staff_id}/people/{person.id}/remove")
    assert removed.status_code == 303
    with site_waymark.uow() as uow:
        assert accounts.assigned_people(uow.session, staff_id) == []
    assert "IOM-0001" not in (await other.get("/people")).text
    gone = await site.post(f"/accounts/{staff_id}/people/{person.id}/remove")
    assert gone.status_code == 404
    entries = [(e.action, e.subject, e.person_id) for e in _audit(site_waymark)]
    assert ("assign", f"staff {staff_id}", person.id) in entries
    assert ("unassign", f"staff {staff_id}", person.id) in entries
    assert [a for a, _, _ in entries].count("assign") == 1


@pytest.mark.parametrize(
    ("role", "ref", "message"),
    [
        (Role.STAFF, "IOM-9999", "No person has the case reference IOM-9999"),
        (Role.STAFF, " ", "Enter a case reference"),
        (Role.COACH, "IOM-0001", "Only IOM staff accounts are assigned people"),
        (Role.MANAGER, "IOM-0001", "Only IOM staff accounts are assigned people"),
    ],
)
async def test_a_bad_assignment_is_refused_and_nothing_is_saved(
    site_waymark: Waymark, site: Site, role: Role, ref: str, message: str
) -> None:
    world.add_person(site_waymark)
    await site.login_as(Role.ADMIN)
    target = _id(site_waymark, ROLE_EMAILS[role])
    response = await site.post(f"/accounts/{target}/people", {"ref": ref})
    assert response.status_code == 422
    assert message in response.text
    assert 'id="ref-error"' in response.text
    with site_waymark.uow() as uow:
        assert accounts.assigned_people(uow.session, target) == []
    assert [e for e in _audit(site_waymark) if e.action == "assign"] == []


async def test_the_last_active_admin_cannot_demote_or_deactivate_themselves(
    site_waymark: Waymark, site: Site
) -> None:
    await site.login_as(Role.ADMIN)
    admin_id = _id(site_waymark, ROLE_EMAILS[Role.ADMIN])
    demote = await site.post(f"/accounts/{admin_id}/role", {"role": "coach"})
    close = await site.post(f"/accounts/{admin_id}/active", {"active": "no"})
    for response in (demote, close):
        assert response.status_code == 422
        assert LAST_ADMIN in response.text
    me = _account(site_waymark, ROLE_EMAILS[Role.ADMIN])
    assert (me.role, me.active) == (Role.ADMIN, True)
    assert (await site.get("/accounts")).status_code == 200  # still logged in

    second = {"email": "second.admin@waymark.test", "name": "Ade", "role": "admin"}
    assert (await site.post("/accounts", second | {"password": NEW_PASSWORD})).status_code == 303
    stepped_down = await site.post(f"/accounts/{admin_id}/role", {"role": "manager"})
    assert stepped_down.headers["location"] == "/"
    assert (await site.get("/")).headers["location"] == "/reports"  # a manager now
    assert (await site.get("/accounts")).status_code == 403


async def test_every_change_is_in_the_audit_trail_and_the_page_filters_it(
    site_waymark: Waymark, site: Site
) -> None:
    world.add_person(site_waymark)
    await site.login_as(Role.ADMIN)
    staff_id = _id(site_waymark, ROLE_EMAILS[Role.STAFF])
    coach_id = _id(site_waymark, ROLE_EMAILS[Role.COACH])
    await site.post(f"/accounts/{coach_id}/role", {"role": "staff"})
    await site.post(f"/accounts/{staff_id}/people", {"ref": "IOM-0001"})
    await site.post(f"/accounts/{staff_id}/password", {"password": NEW_PASSWORD})
    await site.post(f"/accounts/{staff_id}/logout")
    actions = [e.action for e in _audit(site_waymark)]
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
    with site_waymark.uow() as uow:
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
    staff_id = _id(site_waymark, ROLE_EMAILS[Role.STAFF])
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
    exports = [e for e in _audit(site_waymark) if e.action == "export"]
    assert [e.subject for e in exports] == ["audit", "audit"]


async def test_a_csv_cell_never_starts_a_spreadsheet_formula(
    site_waymark: Waymark, site: Site
) -> None:
    await site.login_as(Role.ADMIN)
    with site_waymark.uow() as uow:
        audit.record(uow.session, site_waymark.clock, None, "view", "=HYPERLINK(1)")
        uow.commit()
    rows = list(csv.reader(io.StringIO((await site.get("/audit.csv")).text)))
    assert "'=HYPERLINK(1)" in [r[4] for r in rows]


@pytest.mark.parametrize("role", [Role.COACH, Role.STAFF, Role.MANAGER])
async def test_only_admins_reach_accounts_and_the_audit_trail(
    site_waymark: Waymark, site: Site, role: Role
) -> None:
    await site.login_as(role)
    coach_id = _id(site_waymark, ROLE_EMAILS[Role.COACH])
    for path in ("/accounts", f"/accounts/{coach_id}", "/audit", "/audit.csv"):
        assert (await site.get(path)).status_code == 403, path
    form = {"email": NEW_EMAIL, "name": "Jo", "role": "admin", "password": NEW_PASSWORD}
    assert (await site.post("/accounts", form)).status_code == 403
    assert (await site.post(f"/accounts/{coach_id}/role", {"role": "admin"})).status_code == 403
    assert _count_accounts(site_waymark) == 4
    assert [e.action for e in _audit(site_waymark)] == ["login"]


async def test_an_admin_form_without_its_csrf_token_is_refused(
    site_waymark: Waymark, site: Site
) -> None:
    await site.login_as(Role.ADMIN)
    form = {"email": NEW_EMAIL, "name": "Jo", "role": "staff", "password": NEW_PASSWORD}
    response = await site.client.post("/accounts", data=form)
    assert response.status_code == 403
    assert _count_accounts(site_waymark) == 4


async def test_an_unknown_account_is_not_found(site: Site) -> None:
    await site.login_as(Role.ADMIN)
    assert (await site.get("/accounts/999")).status_code == 404
    assert (await site.post("/accounts/999/role", {"role": "coach"})).status_code == 404


def _token_value(html: str) -> str:
    found = re.search(r'<code id="new-token"[^>]*>([^<]+)</code>', html)
    assert found is not None
    return found.group(1)


async def test_a_token_is_shown_once_and_only_its_hash_is_kept(
    site_waymark: Waymark, site: Site
) -> None:
    await site.login_as(Role.STAFF)
    assert "You have no API tokens" in (await site.get("/account/tokens")).text
    created = await site.post("/account/tokens", {"name": "  Borough   script "})
    assert created.status_code == 200
    assert created.headers["cache-control"] == "no-store"
    assert "You will not see it again" in created.text
    token = _token_value(created.text)
    later = await site.get("/account/tokens")
    assert token not in later.text
    assert "Borough script" in later.text
    with site_waymark.uow() as uow:
        rows = uow.session.exec(select(ApiToken)).all()
        assert [r.token_hash for r in rows] == [hashlib.sha256(token.encode()).hexdigest()]
        assert accounts.account_for_token(uow, site_waymark.clock, token) is not None
    assert [e.action for e in _audit(site_waymark)][-1] == "token-add"


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Enter a name for the token"), ("x" * 61, "60 characters or fewer")],
)
async def test_a_token_needs_a_name(
    site_waymark: Waymark, site: Site, name: str, message: str
) -> None:
    await site.login_as(Role.COACH)
    response = await site.post("/account/tokens", {"name": name})
    assert response.status_code == 422
    assert message in response.text
    assert 'id="new-token"' not in response.text
    with site_waymark.uow() as uow:
        assert uow.session.exec(select(ApiToken)).all() == []


async def test_a_revoked_token_stops_working(site_waymark: Waymark, site: Site) -> None:
    await site.login_as(Role.MANAGER)
    token = _token_value((await site.post("/account/tokens", {"name": "evaluation"})).text)
    with site_waymark.uow() as uow:
        token_id = uow.session.exec(select(ApiToken.id)).one()
    revoked = await site.post(f"/account/tokens/{token_id}/revoke")
    assert revoked.status_code == 303
    assert "The token is revoked" in (await site.get("/account/tokens")).text
    with site_waymark.uow() as uow:
        assert accounts.account_for_token(uow, site_waymark.clock, token) is None
    assert [e.action for e in _audit(site_waymark)][-2:] == ["token-add", "token-revoke"]


async def test_another_accounts_token_cannot_be_revoked(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.COACH)
    token = _token_value((await other.post("/account/tokens", {"name": "coach's"})).text)
    with site_waymark.uow() as uow:
        token_id = uow.session.exec(select(ApiToken.id)).one()
    await site.login_as(Role.STAFF)
    assert (await site.post(f"/account/tokens/{token_id}/revoke")).status_code == 404
    assert "coach&#39;s" not in (await site.get("/account/tokens")).text
    with site_waymark.uow() as uow:
        assert accounts.account_for_token(uow, site_waymark.clock, token) is not None
    assert "token-revoke" not in [e.action for e in _audit(site_waymark)]


async def test_an_admin_sees_and_revokes_anyones_tokens(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.COACH)
    token = _token_value((await other.post("/account/tokens", {"name": "caseload sync"})).text)
    with site_waymark.uow() as uow:
        token_id = uow.session.exec(select(ApiToken.id)).one()
    await site.login_as(Role.ADMIN)
    coach_id = _id(site_waymark, ROLE_EMAILS[Role.COACH])
    staff_id = _id(site_waymark, ROLE_EMAILS[Role.STAFF])
    page = await site.get(f"/accounts/{coach_id}")
    assert "caseload sync" in page.text
    assert token not in page.text
    wrong_account = await site.post(f"/accounts/{staff_id}/tokens/{token_id}/revoke")
    assert wrong_account.status_code == 404
    done = await site.post(f"/accounts/{coach_id}/tokens/{token_id}/revoke")
    assert done.status_code == 303
    with site_waymark.uow() as uow:
        assert accounts.account_for_token(uow, site_waymark.clock, token) is None
