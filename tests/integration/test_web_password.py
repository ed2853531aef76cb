"""Changing your own password on the dashboard: the current one first, the new one twice,
12 characters or more and not a common or breached password; the other sessions end and
this one goes on; a wrong current password counts as a failed login."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.composition import Waymark
from bot.models import AuditEntry, LoginAttempt, Role
from tests.support.caseloads import account_id
from tests.support.web import PASSWORD, ROLE_EMAILS, Site

NEW = "three blue boats at dawn"
COACH = ROLE_EMAILS[Role.COACH]


def _form(current: str = PASSWORD, new: str = NEW, again: str | None = None) -> dict[str, str]:
    return {"current": current, "new": new, "again": new if again is None else again}


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (_form(new="too short"), "new", "a password needs 12 to 200 characters"),
        (_form(new="passwordpassword"), "new", "that password is too common"),
        (_form(new="qwerty123456"), "new", "that password is too common"),
        (_form(new="Liverpool1234"), "new", "that password is too common"),
        (_form(again="three blue boats at dusk"), "new", "the two new passwords are not the same"),
        (_form(new=PASSWORD), "new", "the new password is the one you have now"),
        (_form(current="not my password"), "current", "The current password is not right"),
        (_form(current=""), "current", "Enter a password"),
    ],
)
async def test_a_bad_change_is_refused_and_says_why(
    site: Site, site_waymark: Waymark, form: dict[str, str], field: str, message: str
) -> None:
    await site.login_as(Role.COACH)
    response = await site.post("/account/password", form)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert message.lower() in response.text.lower()
    assert NEW not in response.text
    await site.post("/logout")
    assert (await site.login(COACH)).status_code == 303  # the old password still works


async def test_a_wrong_current_password_counts_as_a_failed_login(
    site: Site, site_waymark: Waymark
) -> None:
    await site.login_as(Role.COACH)
    for _ in range(5):
        await site.post("/account/password", _form(current="not my password"))
    with site_waymark.uow() as uow:
        tries = uow.session.exec(select(LoginAttempt).where(LoginAttempt.email == COACH)).all()
    assert len(tries) == 5
    locked = await site.post("/account/password", _form())
    assert "Too many tries" in locked.text


async def test_a_change_ends_the_other_sessions_and_keeps_this_one(
    site: Site, other: Site, site_waymark: Waymark
) -> None:
    await other.login_as(Role.COACH)
    await site.login_as(Role.COACH)
    changed = await site.post("/account/password", _form())
    assert changed.headers["location"] == "/account/password"
    assert "Your password is changed" in (await site.get("/account/password")).text
    assert (await site.get("/people")).status_code == 200
    assert (await other.get("/people")).headers["location"].startswith("/login")
    await site.post("/logout")
    assert (await site.login(COACH)).status_code == 422  # the old one no longer works
    assert (await site.login(COACH, NEW)).headers["location"] == "/people"
    with site_waymark.uow() as uow:
        entries = uow.session.exec(select(AuditEntry).where(AuditEntry.action == "password"))
        assert len(entries.all()) == 1


async def test_an_admin_changes_theirs_with_the_second_factor_on(site: Site) -> None:
    await site.login_as(Role.ADMIN)
    page = await site.get("/account/password")
    assert page.status_code == 200
    assert 'autocomplete="new-password"' in page.text
    changed = await site.post("/account/password", _form())
    assert changed.status_code == 303
    assert (await site.get("/accounts")).status_code == 200


async def test_an_admin_cannot_set_a_common_password_for_someone(
    site: Site, site_waymark: Waymark
) -> None:
    await site.login_as(Role.ADMIN)
    coach_id = account_id(site_waymark, COACH)
    refused = await site.post(f"/accounts/{coach_id}/password", {"password": "qwertyuiop123"})
    assert refused.status_code == 422
    assert "That password is too common" in refused.text
