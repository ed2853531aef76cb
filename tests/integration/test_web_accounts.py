"""The admin's account pages, through the web app as a browser uses it: adding staff,
roles, deactivation, passwords and sessions, assignments, and who may reach them."""

from __future__ import annotations

import pytest

from bot.composition import Waymark
from bot.models import Role
from bot.services import accounts
from bot.storage import committed
from tests.support import world
from tests.support.admin import (
    NEW_EMAIL,
    NEW_PASSWORD,
    account,
    account_id,
    audit_trail,
    count_accounts,
)
from tests.support.web import PASSWORD, ROLE_EMAILS, Site
from web.pages.admin import LAST_ADMIN


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
    new_id = account_id(site_waymark, NEW_EMAIL)
    assert added.headers["location"] == f"/accounts/{new_id}"
    shown = await site.get(added.headers["location"])
    assert "The account is added" in shown.text
    assert "People assigned" in shown.text  # a staff account's page
    assert account(site_waymark, NEW_EMAIL).role == Role.STAFF

    login = await other.login(NEW_EMAIL, NEW_PASSWORD)
    assert login.status_code == 303
    assert login.headers["location"] == "/people"
    actions = [(e.action, e.subject, e.account_id) for e in audit_trail(site_waymark)]
    admin_id = account_id(site_waymark, ROLE_EMAILS[Role.ADMIN])
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
    before = count_accounts(site_waymark)
    form = {"email": NEW_EMAIL, "name": "Jo", "role": "staff", "password": NEW_PASSWORD} | data
    response = await site.post("/accounts", form)
    assert response.status_code == 422
    assert message in response.text
    assert f'id="{field}-error"' in response.text  # on the field, and in the summary
    assert f'href="#{field}"' in response.text
    assert PASSWORD not in response.text
    assert NEW_PASSWORD not in response.text
    assert count_accounts(site_waymark) == before
    assert [e for e in audit_trail(site_waymark) if e.action == "account-add"] == []


async def test_a_changed_role_ends_the_accounts_open_session(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.COACH)
    assert (await other.get("/")).headers["location"] == "/people"
    await site.login_as(Role.ADMIN)
    coach_id = account_id(site_waymark, ROLE_EMAILS[Role.COACH])
    changed = await site.post(f"/accounts/{coach_id}/role", {"role": "manager"})
    assert changed.status_code == 303
    assert "The role is now Manager" in (await site.get(f"/accounts/{coach_id}")).text
    assert account(site_waymark, ROLE_EMAILS[Role.COACH]).role == Role.MANAGER
    assert (await other.get("/")).headers["location"].startswith("/login")
    await other.login_as(Role.COACH)  # logs in again, now as a manager: who needs a 2FA
    assert (await other.get("/")).headers["location"] == "/account/second-factor"


async def test_an_unknown_role_is_refused_on_the_account_page(
    site_waymark: Waymark, site: Site
) -> None:
    await site.login_as(Role.ADMIN)
    coach_id = account_id(site_waymark, ROLE_EMAILS[Role.COACH])
    response = await site.post(f"/accounts/{coach_id}/role", {"role": "owner"})
    assert response.status_code == 422
    assert "Choose a role from the list" in response.text
    assert account(site_waymark, ROLE_EMAILS[Role.COACH]).role == Role.COACH


async def test_a_deactivated_account_cannot_log_in_until_it_is_reactivated(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.COACH)
    await site.login_as(Role.ADMIN)
    coach_id = account_id(site_waymark, ROLE_EMAILS[Role.COACH])
    assert (await site.post(f"/accounts/{coach_id}/active", {"active": "no"})).status_code == 303
    assert (await other.get("/")).headers["location"].startswith("/login")
    refused = await other.login(ROLE_EMAILS[Role.COACH])
    assert refused.status_code == 422
    assert (await site.post(f"/accounts/{coach_id}/active", {"active": "yes"})).status_code == 303
    assert (await other.login(ROLE_EMAILS[Role.COACH])).status_code == 303
    actions = [e.action for e in audit_trail(site_waymark) if e.subject == f"account {coach_id}"]
    assert actions == ["deactivate", "reactivate"]


async def test_a_new_password_works_and_ends_the_old_sessions(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.STAFF)
    await site.login_as(Role.ADMIN)
    staff_id = account_id(site_waymark, ROLE_EMAILS[Role.STAFF])
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
    admin_id = account_id(site_waymark, ROLE_EMAILS[Role.ADMIN])
    done = await site.post(f"/accounts/{admin_id}/password", {"password": NEW_PASSWORD})
    assert done.headers["location"] == f"/accounts/{admin_id}"
    assert (await site.get("/accounts")).status_code == 200
    assert (await other.get("/accounts")).headers["location"].startswith("/login")


async def test_log_out_everywhere_ends_every_session_of_the_account(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.MANAGER)
    await site.login_as(Role.ADMIN)
    manager_id = account_id(site_waymark, ROLE_EMAILS[Role.MANAGER])
    assert (await site.post(f"/accounts/{manager_id}/logout")).status_code == 303
    assert (await other.get("/")).headers["location"].startswith("/login")
    assert (await site.get("/accounts")).status_code == 200  # the admin's own session stays
    assert [e.action for e in audit_trail(site_waymark)][-1] == "logout-all"


async def test_a_person_assigned_to_staff_is_theirs_until_removed(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    person = world.add_person(site_waymark)
    assert person.id is not None
    await other.login_as(Role.STAFF)
    assert "IOM-0001" not in (await other.get("/people")).text
    await site.login_as(Role.ADMIN)
    staff_id = account_id(site_waymark, ROLE_EMAILS[Role.STAFF])
    added = await site.post(f"/accounts/{staff_id}/people", {"ref": " iom-0001 "})
    assert added.status_code == 303
    page = await site.get(f"/accounts/{staff_id}")
    assert "now sees IOM-0001" in page.text
    assert '<td class="govuk-table__cell">IOM-0001</td>' in page.text
    with committed(site_waymark.uow) as uow:
        assert accounts.assigned_people(uow.session, staff_id) == [person.id]
    assert "IOM-0001" in (await other.get("/people")).text  # staff see them at once
    again = await site.post(f"/accounts/{staff_id}/people", {"ref": "IOM-0001"})
    assert again.status_code == 303
    assert "was assigned already" in (await site.get(f"/accounts/{staff_id}")).text

    removed = await site.post(f"/accounts/{staff_id}/people/{person.id}/remove")
    assert removed.status_code == 303
    with committed(site_waymark.uow) as uow:
        assert accounts.assigned_people(uow.session, staff_id) == []
    assert "IOM-0001" not in (await other.get("/people")).text
    gone = await site.post(f"/accounts/{staff_id}/people/{person.id}/remove")
    assert gone.status_code == 404
    entries = [(e.action, e.subject, e.person_id) for e in audit_trail(site_waymark)]
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
    target = account_id(site_waymark, ROLE_EMAILS[role])
    response = await site.post(f"/accounts/{target}/people", {"ref": ref})
    assert response.status_code == 422
    assert message in response.text
    assert 'id="ref-error"' in response.text
    with committed(site_waymark.uow) as uow:
        assert accounts.assigned_people(uow.session, target) == []
    assert [e for e in audit_trail(site_waymark) if e.action == "assign"] == []


async def test_the_last_active_admin_cannot_demote_or_deactivate_themselves(
    site_waymark: Waymark, site: Site
) -> None:
    await site.login_as(Role.ADMIN)
    admin_id = account_id(site_waymark, ROLE_EMAILS[Role.ADMIN])
    demote = await site.post(f"/accounts/{admin_id}/role", {"role": "coach"})
    close = await site.post(f"/accounts/{admin_id}/active", {"active": "no"})
    for response in (demote, close):
        assert response.status_code == 422
        assert LAST_ADMIN in response.text
    me = account(site_waymark, ROLE_EMAILS[Role.ADMIN])
    assert (me.role, me.active) == (Role.ADMIN, True)
    assert (await site.get("/accounts")).status_code == 200  # still logged in

    second = {"email": "second.admin@waymark.test", "name": "Ade", "role": "admin"}
    assert (await site.post("/accounts", second | {"password": NEW_PASSWORD})).status_code == 303
    stepped_down = await site.post(f"/accounts/{admin_id}/role", {"role": "manager"})
    assert stepped_down.headers["location"] == "/"
    assert (await site.get("/")).headers["location"] == "/reports"  # a manager now
    assert (await site.get("/accounts")).status_code == 403


@pytest.mark.parametrize("role", [Role.COACH, Role.STAFF, Role.MANAGER])
async def test_only_admins_reach_accounts_and_the_audit_trail(
    site_waymark: Waymark, site: Site, role: Role
) -> None:
    await site.login_as(role)
    coach_id = account_id(site_waymark, ROLE_EMAILS[Role.COACH])
    for path in ("/accounts", f"/accounts/{coach_id}", "/audit", "/audit.csv"):
        assert (await site.get(path)).status_code == 403, path
    form = {"email": NEW_EMAIL, "name": "Jo", "role": "admin", "password": NEW_PASSWORD}
    assert (await site.post("/accounts", form)).status_code == 403
    assert (await site.post(f"/accounts/{coach_id}/role", {"role": "admin"})).status_code == 403
    assert count_accounts(site_waymark) == 4
    assert [e.action for e in audit_trail(site_waymark)] == ["login"]


async def test_an_admin_form_without_its_csrf_token_is_refused(
    site_waymark: Waymark, site: Site
) -> None:
    await site.login_as(Role.ADMIN)
    form = {"email": NEW_EMAIL, "name": "Jo", "role": "staff", "password": NEW_PASSWORD}
    response = await site.client.post("/accounts", data=form)
    assert response.status_code == 403
    assert count_accounts(site_waymark) == 4


async def test_an_unknown_account_is_not_found(site: Site) -> None:
    await site.login_as(Role.ADMIN)
    assert (await site.get("/accounts/999")).status_code == 404
    assert (await site.post("/accounts/999/role", {"role": "coach"})).status_code == 404
