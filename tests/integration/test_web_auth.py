"""Logging in and staying safe: argon2 passwords, the signed session, CSRF on every form,
throttled guessing, body limits, and the audit of logins."""

from __future__ import annotations

import time

import itsdangerous
import pytest
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import select

from bot.composition import Waymark, build
from bot.models import Account, AuditEntry, LoginAttempt, Role
from bot.services import accounts
from bot.storage import committed
from tests.conftest import make_settings
from tests.support.fakes import FixedClock
from tests.support.web import PASSWORD, ROLE_EMAILS, Site, add_accounts
from web.app import create_app


async def test_a_coach_logs_in_and_lands_on_their_people(site: Site) -> None:
    response = await site.login(ROLE_EMAILS[Role.COACH])
    assert response.status_code == 303
    assert response.headers["location"] == "/people"
    assert "waymark_session" in site.client.cookies


@pytest.mark.parametrize(
    ("role", "landing"),
    [(Role.STAFF, "/people"), (Role.MANAGER, "/reports"), (Role.ADMIN, "/accounts")],
)
async def test_each_role_lands_where_its_work_is(site: Site, role: Role, landing: str) -> None:
    response = await site.login(ROLE_EMAILS[role])
    assert response.headers["location"] == landing
    assert (await site.get("/")).headers["location"] == landing


async def test_passwords_are_stored_as_argon2id(site_waymark: Waymark, site: Site) -> None:
    with committed(site_waymark.uow) as uow:
        hashes = uow.session.exec(select(Account.password_hash)).all()
    assert hashes
    assert all(h is not None and h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in (h or "") for h in hashes)


async def test_a_wrong_password_gets_the_same_answer_as_an_unknown_email(site: Site) -> None:
    wrong = await site.login(ROLE_EMAILS[Role.COACH], "not the password")
    unknown = await site.login("nobody@waymark.test", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 422
        assert "The email address or password is not right" in response.text
    assert "waymark_session" not in site.client.cookies


async def test_empty_fields_are_named(site: Site) -> None:
    response = await site.post("/login", {"email": " ", "password": ""})
    assert response.status_code == 422
    assert "Enter your email address" in response.text
    assert "Enter your password" in response.text


async def test_guessing_is_throttled_even_with_the_right_password_then_lifts(
    site_waymark: Waymark, site: Site, clock: FixedClock
) -> None:
    email = ROLE_EMAILS[Role.COACH]
    for _ in range(accounts.EMAIL_FAILURES):
        assert (await site.login(email, "guess guess guess")).status_code == 422
    locked = await site.login(email)
    assert locked.status_code == 422
    assert "Too many tries" in locked.text
    clock.advance(seconds=accounts.WINDOW.total_seconds() + 1)
    assert (await site.login(email)).status_code == 303
    with committed(site_waymark.uow) as uow:  # a good login clears that email's failures
        left = uow.session.exec(select(LoginAttempt).where(LoginAttempt.email == email)).all()
    assert left == []


async def test_a_form_without_its_csrf_token_is_refused(site: Site) -> None:
    await site.client.get("/login")
    response = await site.client.post(
        "/login", data={"email": ROLE_EMAILS[Role.COACH], "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "This form has expired" in response.text


async def test_a_login_without_any_cookie_is_still_checked_for_csrf(site: Site) -> None:
    site.client.cookies.clear()
    response = await site.client.post(
        "/login", data={"email": ROLE_EMAILS[Role.COACH], "password": PASSWORD}
    )
    assert response.status_code == 403


async def test_a_forged_session_cookie_is_no_session(site: Site) -> None:
    await site.login_as(Role.COACH)
    real = site.client.cookies["waymark_session"]
    site.client.cookies.set("waymark_session", real[:-4] + "AAAA", domain="waymark.test")
    response = await site.get("/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


class _SignedAt(itsdangerous.TimestampSigner):
    """Signs as if it were `seconds_ago` earlier, as a cookie kept that long would be."""

    def __init__(self, secret: str, seconds_ago: int) -> None:
        super().__init__(secret)
        self.seconds_ago = seconds_ago

    def get_timestamp(self) -> int:
        return int(time.time()) - self.seconds_ago


async def test_a_session_ends_after_its_hours(
    engine: Engine, clock: FixedClock, db_url: str
) -> None:
    secret = "k" * 40
    settings = make_settings(db_url)
    settings.web.secret_key = SecretStr(secret)
    app = build(settings, clock=clock, engine=engine)
    add_accounts(app)
    async with Site(create_app(app)) as browser:
        await browser.login_as(Role.COACH)
        payload = itsdangerous.TimestampSigner(secret).unsign(
            browser.client.cookies["waymark_session"]
        )
        hours = settings.web.session_hours * 3600

        for age, at_login in ((hours - 60, False), (hours + 60, True)):
            aged = _SignedAt(secret, age).sign(payload).decode()
            browser.client.cookies.set("waymark_session", aged, domain="waymark.test")
            response = await browser.get("/")
            assert response.headers["location"].startswith("/login") is at_login, age


async def test_logging_out_everywhere_ends_the_session(site: Site, site_waymark: Waymark) -> None:
    await site.login_as(Role.COACH)
    with committed(site_waymark.uow) as uow:
        coach = uow.session.exec(select(Account).where(Account.role == Role.COACH)).one()
        assert coach.id is not None
        accounts.end_sessions(uow, coach.id)
    response = await site.get("/")
    assert response.headers["location"].startswith("/login")


async def test_logout_ends_the_session(site: Site) -> None:
    await site.login_as(Role.COACH)
    await site.post("/logout")
    assert (await site.get("/")).status_code == 303
    assert (await site.get("/")).headers["location"].startswith("/login")


async def test_next_goes_back_to_the_page_but_never_elsewhere(site: Site) -> None:
    await site.client.get("/login")
    data = {"email": ROLE_EMAILS[Role.COACH], "password": PASSWORD}
    inside = await site.post("/login", data | {"next": "/alerts"})
    assert inside.headers["location"] == "/alerts"
    away = await site.post("/login", data | {"next": "https://evil.example/"})
    assert away.headers["location"] == "/people"
    sneaky = await site.post("/login", data | {"next": "//evil.example/"})
    assert sneaky.headers["location"] == "/people"


async def test_an_oversized_body_is_refused_before_it_is_read(site: Site) -> None:
    await site.client.get("/login")
    big = "x" * 1_100_000
    response = await site.post("/login", {"email": big, "password": "p"})
    assert response.status_code == 413


async def test_logins_are_in_the_audit_trail(site: Site, site_waymark: Waymark) -> None:
    await site.login_as(Role.MANAGER)
    with committed(site_waymark.uow) as uow:
        entries = uow.session.exec(select(AuditEntry).where(AuditEntry.action == "login")).all()
    assert len(entries) == 1
    assert entries[0].subject == "dashboard"
