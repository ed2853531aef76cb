"""CSRF protection (web/csrf.py) that no header a page can add switches off: a Bearer
header exempts only API calls, a multipart form is checked like any other (a 403 without
its token, never a crash), and a cross-site request is refused even with a token."""

from __future__ import annotations

import pytest

from bot.composition import Waymark
from bot.domain.errors import NotFound
from bot.models import Role
from tests.support import world
from tests.support.api import ApiWorld
from tests.support.web import PASSWORD, ROLE_EMAILS, Site

NEW_PERSON = {"ref": "IOM-0042", "name": "Jo", "borough": "Lambeth", "leads": "1d,60m"}


def _exists(app: Waymark, ref: str) -> bool:
    try:
        world.person(app, ref)
    except NotFound:
        return False
    return True


async def test_a_bearer_header_does_not_switch_csrf_off_on_a_dashboard_form(
    site_waymark: Waymark, site: Site
) -> None:
    await site.login_as(Role.COACH)
    forged = await site.client.post(
        "/people", data=NEW_PERSON, headers={"Authorization": "Bearer x"}
    )
    assert forged.status_code == 403
    assert "This form has expired" in forged.text
    assert not _exists(site_waymark, "IOM-0042")
    real = await site.post("/people", NEW_PERSON)  # the page's own form, with its token
    assert real.status_code == 303
    assert _exists(site_waymark, "IOM-0042")


async def test_an_api_call_with_its_token_needs_no_csrf_token(api: ApiWorld) -> None:
    api.coach.client.cookies.set("csrftoken", "left-over-from-the-dashboard")
    body = {"ref": "IOM-0042", "preferred_name": "Jo", "borough": "Lambeth"}
    created = await api.coach.post("/people", body)
    assert created.status_code == 201, created.text
    assert (await api.coach.get("/people/IOM-0042")).status_code == 200


async def test_a_dashboard_session_posting_to_the_api_without_a_token_is_refused(
    site: Site,
) -> None:
    await site.login_as(Role.COACH)
    refused = await site.client.post("/api/v1/people", json={"ref": "IOM-0042"})
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/json"
    assert "expired" in refused.json()["detail"]


def _multipart(fields: dict[str, str]) -> dict[str, tuple[None, str]]:
    """Fields sent as multipart/form-data (httpx sends a `files` mapping that way)."""
    return {name: (None, value) for name, value in fields.items()}


async def test_a_multipart_form_with_a_cookie_and_no_token_is_refused_not_a_crash(
    site: Site,
) -> None:
    await site.client.get("/login")  # the CSRF cookie
    assert site.csrf
    login = {"email": ROLE_EMAILS[Role.COACH], "password": PASSWORD}
    response = await site.client.post("/login", files=_multipart(login))
    assert response.status_code == 403
    assert "This form has expired" in response.text


async def test_a_multipart_form_with_its_token_goes_through(site: Site) -> None:
    await site.client.get("/login")
    login = {"email": ROLE_EMAILS[Role.COACH], "password": PASSWORD}
    # The token may come after a file, and the body is passed on whole to the route.
    files = {"picture": ("card.png", b"\x89PNG" + b"x" * 20_000, "image/png")}
    fields = _multipart(login) | files | _multipart({"csrftoken": site.csrf})
    response = await site.client.post("/login", files=fields)
    assert response.status_code == 303, response.text
    assert (await site.get("/people")).status_code == 200


async def test_a_token_the_site_did_not_sign_is_refused(site: Site) -> None:
    site.client.cookies.set("csrftoken", "chosen-by-an-attacker", domain="waymark.test")
    login = {"email": ROLE_EMAILS[Role.COACH], "password": PASSWORD}
    response = await site.client.post(
        "/login",
        data=login | {"csrftoken": "chosen-by-an-attacker"},
        headers={"x-csrftoken": "chosen-by-an-attacker"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("where", ["cross-site", "same-site"])
async def test_a_post_from_another_site_is_refused_even_with_a_token(
    site: Site, where: str
) -> None:
    await site.client.get("/login")
    login = {"email": ROLE_EMAILS[Role.COACH], "password": PASSWORD, "csrftoken": site.csrf}
    refused = await site.client.post("/login", data=login, headers={"sec-fetch-site": where})
    assert refused.status_code == 403
    same = await site.client.post("/login", data=login, headers={"sec-fetch-site": "same-origin"})
    assert same.status_code == 303


async def test_a_json_post_takes_its_token_from_the_header(site: Site) -> None:
    await site.login_as(Role.COACH)
    token = {"x-csrftoken": site.csrf}
    without = await site.client.post("/logout", json={})
    assert without.status_code == 403
    ended = await site.client.post("/logout", json={}, headers=token)
    assert ended.status_code == 303


async def test_a_form_post_without_any_cookie_is_refused(site: Site) -> None:
    """No cookie is no session, but a login or an invite code must still come from our
    own page (a forged login would put someone in the attacker's account)."""
    site.client.cookies.clear()
    joined = await site.client.post("/chat/join", data={"code": "x" * 32})
    assert joined.status_code == 403


async def test_a_body_that_is_no_form_is_a_clear_400(site: Site) -> None:
    await site.client.get("/login")
    broken = await site.client.post(
        "/login",
        content=b"--not-the-boundary\r\nnonsense",
        headers={"content-type": "multipart/form-data"},  # no boundary at all
    )
    assert broken.status_code == 400
    assert "This form could not be read" in broken.text
