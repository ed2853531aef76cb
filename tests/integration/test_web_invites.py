"""The invite page with Telegram and without it, the pairing code page, and the API's
pairing codes: each shown once, never cached, audited."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.composition import Waymark
from bot.models import Invite, InviteKind, Role
from bot.services import invites, pairing
from tests.support.api import ApiWorld, audit_entries
from tests.support.caseloads import ALEX, SAM, audit_of, rows, two_caseloads
from tests.support.web import Site, add_accounts
from web.app import create_app

WEB_CHAT = "http://127.0.0.1:8080/chat/join?code="


@pytest.fixture
async def coach(site: Site, site_waymark: Waymark) -> Site:
    """A coach on a Waymark without a Telegram token."""
    two_caseloads(site_waymark)
    await site.login_as(Role.COACH)
    return site


@pytest.fixture
async def telegram_coach(waymark: Waymark) -> AsyncIterator[Site]:
    """A coach on a Waymark with a bot token (Telegram is served)."""
    add_accounts(waymark)
    two_caseloads(waymark)
    async with Site(create_app(waymark)) as browser:
        await browser.login_as(Role.COACH)
        yield browser


def _link(page: str, element_id: str) -> str:
    return page.split(f'id="{element_id}" href="')[1].split('"')[0]


async def test_with_telegram_the_invite_shows_both_links_and_a_qr_code_once(
    telegram_coach: Site, waymark: Waymark
) -> None:
    page = await telegram_coach.post(f"/people/{SAM}/invite")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert 'role="img" aria-label="QR code that opens the Telegram link' in page.text
    link = _link(page.text, "telegram-link")
    assert link.startswith(f"https://t.me/{waymark.settings.telegram.bot_username}?start=")
    code = link.split("start=")[1]
    assert _link(page.text, "webchat-link") == WEB_CHAT + code
    [invite] = rows(waymark, Invite)
    assert invite.code_hash == invites.hash_code(code)
    assert ("change", "invite") in audit_of(waymark, SAM)


async def test_without_telegram_the_invite_offers_the_web_chat_alone(
    coach: Site, site_waymark: Waymark
) -> None:
    page = await coach.post(f"/people/{SAM}/invite")
    assert page.status_code == 200
    assert "t.me" not in page.text
    assert 'id="telegram-link"' not in page.text
    assert 'aria-label="QR code that opens the web chat link below"' in page.text
    code = _link(page.text, "webchat-link").removeprefix(WEB_CHAT)
    [invite] = rows(site_waymark, Invite)
    assert invite.code_hash == invites.hash_code(code)


async def test_a_pairing_code_is_shown_once_to_read_out(coach: Site, site_waymark: Waymark) -> None:
    person_page = await coach.get(f"/people/{SAM}")
    assert "Make a pairing code" in person_page.text
    page = await coach.post(f"/people/{SAM}/pairing-code")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    spoken = page.text.split('id="pairing-code" aria-hidden="true">')[1].split("<")[0]
    digits = pairing.digits_of(spoken)
    assert digits is not None
    assert spoken == pairing.shown(digits)
    assert f"Pairing code: {' '.join(digits)}" in page.text  # read digit by digit
    assert "15 minutes" in page.text
    assert "Telegram" not in page.text.split("Where they type it")[1]  # Telegram is off
    [code] = rows(site_waymark, Invite)
    assert code.kind == InviteKind.PAIRING
    assert digits not in code.code_hash
    assert ("change", "pairing code") in audit_of(site_waymark, SAM)
    with site_waymark.uow() as uow:
        assert pairing.find(uow.session, site_waymark.clock, digits) is not None
    # Someone else's person: refused, and nothing made.
    assert (await coach.post(f"/people/{ALEX}/pairing-code")).status_code == 404
    assert len(rows(site_waymark, Invite)) == 1


async def test_the_api_makes_a_pairing_code(api: ApiWorld) -> None:
    made = await api.coach.post(f"/people/{SAM.lower()}/pairing-codes")
    assert made.status_code == 201, made.text
    assert made.headers["cache-control"] == "no-store"
    body = made.json()
    assert pairing.digits_of(body["code"]) == body["code"]
    assert body["spoken"] == pairing.shown(body["code"])
    assert body["expires_at"] == "2026-11-23T12:15:00Z"
    assert [(e.action, e.subject) for e in audit_entries(api.waymark)][-1] == (
        "change",
        "pairing code",
    )
    again = await api.coach.post(f"/people/{SAM}/pairing-codes")
    with api.waymark.uow() as uow:
        clock = api.waymark.clock
        assert pairing.find(uow.session, clock, body["code"]) is None  # voided by the new one
        assert pairing.find(uow.session, clock, again.json()["code"]) is not None
    missing = await api.coach.post("/people/IOM-9999/pairing-codes")
    assert missing.status_code == 404
