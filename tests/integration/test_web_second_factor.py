"""The second factor on the dashboard: set up with a code before it is on, asked after
the right password, wrong codes refused and throttled (and a right password does not
clear them), a code used once only, recovery codes that work once, admins and managers
sent to set it up before anything else, and the demo's accounts exempt in the demo only."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from bot.composition import Waymark
from bot.models import AuditEntry, Role
from bot.services import people
from bot.settings import Environment
from tests.support import world
from tests.support.fakes import FixedClock
from tests.support.second_factor import code_at, fresh_code
from tests.support.web import PASSWORD, ROLE_EMAILS, Site

ADMIN = ROLE_EMAILS[Role.ADMIN]
COACH = ROLE_EMAILS[Role.COACH]


async def _password_only(site: Site, email: str) -> str:
    """The first step of a login: where the right password sends the browser."""
    await site.client.get("/login")
    response = await site.post("/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def _secret_on(page: str) -> str:
    found = re.search(r'id="totp-secret">([A-Z2-7]+)<', page)
    assert found is not None, page
    return found[1]


def _actions(app: Waymark, action: str) -> list[AuditEntry]:
    with app.uow() as uow:
        return list(uow.session.exec(select(AuditEntry).where(AuditEntry.action == action)))


async def test_a_coach_sets_it_up_then_logs_in_with_a_code(
    site: Site, site_waymark: Waymark, clock: FixedClock
) -> None:
    await site.login_as(Role.COACH)
    setup = await site.get("/account/second-factor")
    assert setup.status_code == 200
    assert setup.headers["cache-control"] == "no-store"
    assert "<svg" in setup.text  # the QR code
    secret = _secret_on(setup.text)
    assert secret == _secret_on((await site.get("/account/second-factor")).text)  # kept
    wrong = await site.post("/account/second-factor", {"code": "000000"})
    assert wrong.status_code == 422
    assert "That code is not right" in wrong.text
    right = await site.post("/account/second-factor", {"code": code_at(site_waymark, secret)})
    assert right.status_code == 200
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", right.text)
    assert len(set(codes)) == 10
    assert (await site.get("/people")).status_code == 200  # this session goes on
    assert len(_actions(site_waymark, "2fa-on")) == 1
    await site.post("/logout")
    assert await _password_only(site, COACH) == "/login/code"
    assert (await site.get("/people")).headers["location"].startswith("/login")  # no session yet
    clock.advance(seconds=30)  # the app's next code
    done = await site.post("/login/code", {"code": code_at(site_waymark, secret)})
    assert done.headers["location"] == "/people"
    assert (await site.get("/people")).status_code == 200


async def test_a_wrong_code_is_refused_and_guessing_is_throttled(
    site: Site, site_waymark: Waymark, clock: FixedClock
) -> None:
    assert await _password_only(site, ADMIN) == "/login/code"
    for _ in range(5):
        wrong = await site.post("/login/code", {"code": "123456"})
        assert wrong.status_code == 422
        assert "That code is not right" in wrong.text
    # The right password again does not wipe the wrong codes, and the right code waits.
    assert await _password_only(site, ADMIN) == "/login/code"
    locked = await site.post("/login/code", {"code": fresh_code(site_waymark, ADMIN)})
    assert "Too many tries" in locked.text
    assert (await site.get("/accounts")).headers["location"].startswith("/login")
    clock.advance(minutes=16)
    assert await _password_only(site, ADMIN) == "/login/code"
    done = await site.post("/login/code", {"code": fresh_code(site_waymark, ADMIN)})
    assert done.headers["location"] == "/accounts"


async def test_a_code_works_once(site: Site, other: Site, site_waymark: Waymark) -> None:
    code = fresh_code(site_waymark, ADMIN)
    await _password_only(site, ADMIN)
    assert (await site.post("/login/code", {"code": code})).headers["location"] == "/accounts"
    await _password_only(other, ADMIN)
    replayed = await other.post("/login/code", {"code": code})
    assert replayed.status_code == 422


async def test_a_recovery_code_works_once(site: Site, site_waymark: Waymark) -> None:
    await site.login_as(Role.COACH)
    secret = _secret_on((await site.get("/account/second-factor")).text)
    shown = await site.post("/account/second-factor", {"code": code_at(site_waymark, secret)})
    first = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", shown.text)[0]
    await site.post("/logout")
    await _password_only(site, COACH)
    used = await site.post("/login/code", {"code": f" {first.upper()} "})  # as typed
    assert used.headers["location"] == "/people"
    assert "Recovery codes left: 9." in (await site.get("/account/second-factor")).text
    entries = [e.subject for e in _actions(site_waymark, "login")]
    assert "dashboard, recovery code" in entries
    await site.post("/logout")
    await _password_only(site, COACH)
    again = await site.post("/login/code", {"code": first})
    assert again.status_code == 422


async def test_the_code_step_needs_the_password_first(site: Site) -> None:
    assert (await site.get("/login/code")).headers["location"] == "/login"
    refused = await site.post("/login/code", {"code": "123456"})
    assert refused.headers["location"] == "/login"


async def test_an_admin_without_it_must_set_it_up_first(site: Site, site_waymark: Waymark) -> None:
    world.add_coach(
        site_waymark, "new.admin@waymark.test", "Nia", role=Role.ADMIN, password=PASSWORD
    )
    assert await _password_only(site, "new.admin@waymark.test") == "/accounts"  # no code yet
    for path in ("/accounts", "/audit", "/account/tokens", "/account/password", "/"):
        sent = await site.get(path)
        assert sent.headers["location"] == "/account/second-factor", path
    refused = await site.post("/accounts", {"email": "x@waymark.test", "name": "X"})
    assert refused.headers["location"] == "/account/second-factor"
    setup = await site.get("/account/second-factor")
    assert "Admins and managers need a second factor" in setup.text
    secret = _secret_on(setup.text)
    await site.post("/account/second-factor", {"code": code_at(site_waymark, secret)})
    assert (await site.get("/accounts")).status_code == 200


def _demo_admin(app: Waymark) -> str:
    """An admin marked as the demo's own, as bot/demo's seeding marks its accounts."""
    email = "alex.morgan@waymark.example"
    world.add_coach(app, email, "Alex", role=Role.ADMIN, password=PASSWORD)
    with app.uow() as uow:
        account = people.coach_by_email(uow.session, email)
        account.demo_account = True
        uow.session.add(account)
        uow.commit()
    return email


async def test_a_demo_account_is_exempt_in_the_demo(site: Site, site_waymark: Waymark) -> None:
    email = _demo_admin(site_waymark)
    site_waymark.settings.run_as_demo()  # as `waymark demo` does
    assert await _password_only(site, email) == "/accounts"
    assert (await site.get("/accounts")).status_code == 200
    assert "a demo account" in (await site.get("/account/second-factor")).text


@pytest.mark.parametrize("where", ["not the demo", "production"])
async def test_a_demo_account_is_not_exempt_outside_the_demo(
    site: Site, site_waymark: Waymark, where: str
) -> None:
    email = _demo_admin(site_waymark)
    if where == "production":  # even with the demo's flag
        site_waymark.settings.run_as_demo()
        site_waymark.settings.env = Environment.PRODUCTION
    await _password_only(site, email)
    assert (await site.get("/accounts")).headers["location"] == "/account/second-factor"


async def test_an_account_with_it_on_is_asked_even_if_marked_demo(
    site: Site, site_waymark: Waymark
) -> None:
    """The mark alone is nothing: without the demo's flag, a code is asked."""
    with site_waymark.uow() as uow:
        account = people.coach_by_email(uow.session, ADMIN)
        account.demo_account = True
        uow.session.add(account)
        uow.commit()
    assert await _password_only(site, ADMIN) == "/login/code"
    assert (await site.get("/accounts")).headers["location"].startswith("/login")
    done = await site.post("/login/code", {"code": fresh_code(site_waymark, ADMIN)})
    assert done.headers["location"] == "/accounts"
