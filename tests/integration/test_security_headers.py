"""Every answer carries the security headers (web/security_headers.py): pages, API answers
and the web chat are never stored by a browser or a proxy, cannot be framed, run only the
site's own script files and style only from its own files or a <style> with this answer's
nonce; static files may be cached. HSTS only when cookies are secure (behind HTTPS)."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import Engine

from bot.composition import Waymark, build
from bot.models import Role
from tests.conftest import make_settings
from tests.support import report_figures, world
from tests.support.api import ApiWorld
from tests.support.fakes import FixedClock
from tests.support.web import Site
from web.app import create_app

ALWAYS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _policy(response: httpx.Response) -> dict[str, str]:
    """The Content-Security-Policy as {directive: its sources}."""
    parts = (
        part.strip().split(" ", 1)
        for part in response.headers["content-security-policy"].split(";")
    )
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def _assert_private(response: httpx.Response) -> None:
    assert response.headers["cache-control"] == "no-store"
    assert {name: response.headers.get(name) for name in ALWAYS} == ALWAYS
    policy = _policy(response)
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"  # no inline script, no eval
    assert policy["frame-ancestors"] == "'none'"
    assert policy["connect-src"] == "'self'"  # the chat's fetch and Server-Sent Events
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert "strict-transport-security" not in response.headers  # plain HTTP in tests


async def test_a_dashboard_page_is_private_and_cannot_be_framed(site: Site) -> None:
    await site.login_as(Role.COACH)
    response = await site.get("/people")
    assert response.status_code == 200
    _assert_private(response)


async def test_the_login_page_and_a_refusal_carry_them_too(site: Site) -> None:
    _assert_private(await site.get("/login"))
    _assert_private(await site.get("/no-such-page"))


async def test_an_api_answer_is_private(api: ApiWorld) -> None:
    response = await api.coach.get("/people")
    assert response.status_code == 200
    _assert_private(response)


async def test_a_web_chat_page_and_its_messages_are_private(site_waymark: Waymark) -> None:
    world.add_coach(site_waymark)
    person = world.add_person(site_waymark)
    assert person.id is not None
    chat_id = await site_waymark.webchat.intake.link_person(person.id)
    transport = httpx.ASGITransport(app=create_app(site_waymark))
    async with httpx.AsyncClient(transport=transport, base_url="http://waymark.test") as client:
        page = await client.get(f"/chat/{chat_id}")
        messages = await client.get(f"/chat/{chat_id}/messages")
    assert (page.status_code, messages.status_code) == (200, 200)
    _assert_private(page)
    _assert_private(messages)


async def test_static_files_may_be_cached_but_are_not_sniffed(site: Site) -> None:
    response = await site.get("/static/waymark.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", "")
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_a_report_chart_s_style_carries_the_answer_s_nonce(
    site_waymark: Waymark, site: Site
) -> None:
    report_figures.add(site_waymark)
    await site.login_as(Role.MANAGER)
    first = await site.get("/reports/attendance-by-month")
    second = await site.get("/reports/attendance-by-month")
    nonces = []
    for response in (first, second):
        assert response.status_code == 200
        sources = _policy(response)["style-src"].split()
        assert sources[0] == "'self'"
        nonce = re.fullmatch(r"'nonce-([A-Za-z0-9_-]{22,})'", sources[1])
        assert nonce is not None, sources
        styles = re.findall(r"<style[^>]*>", response.text)
        assert styles == [f'<style type="text/css" nonce="{nonce.group(1)}">']
        assert ' style="' not in response.text  # a style attribute would be refused
        nonces.append(nonce.group(1))
    assert nonces[0] != nonces[1]  # fresh for every answer


async def test_hsts_when_cookies_are_secure(engine: Engine, clock: FixedClock, db_url: str) -> None:
    settings = make_settings(db_url)
    settings.web = settings.web.model_copy(update={"secure_cookies": True})
    app = create_app(build(settings, clock=clock, engine=engine))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://waymark.test"
    ) as client:
        page = await client.get("/login")
        css = await client.get("/static/waymark.css")
    for response in (page, css):
        assert response.headers["strict-transport-security"] == "max-age=31536000"
