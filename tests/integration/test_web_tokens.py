"""API tokens in the admin pages: shown once and kept as a hash, named, revoked, and
only an admin may revoke another account's."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlmodel import select

from bot.composition import Waymark
from bot.models import ApiToken, Role
from bot.services import accounts
from bot.storage import committed
from tests.support.admin import account_id, audit_trail
from tests.support.web import ROLE_EMAILS, Site


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
    with committed(site_waymark.uow) as uow:
        rows = uow.session.exec(select(ApiToken)).all()
        assert [r.token_hash for r in rows] == [hashlib.sha256(token.encode()).hexdigest()]
        assert accounts.account_for_token(uow, site_waymark.clock, token) is not None
    assert [e.action for e in audit_trail(site_waymark)][-1] == "token-add"


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
    with committed(site_waymark.uow) as uow:
        assert uow.session.exec(select(ApiToken)).all() == []


async def test_a_revoked_token_stops_working(site_waymark: Waymark, site: Site) -> None:
    await site.login_as(Role.MANAGER)
    token = _token_value((await site.post("/account/tokens", {"name": "evaluation"})).text)
    with committed(site_waymark.uow) as uow:
        token_id = uow.session.exec(select(ApiToken.id)).one()
    revoked = await site.post(f"/account/tokens/{token_id}/revoke")
    assert revoked.status_code == 303
    assert "The token is revoked" in (await site.get("/account/tokens")).text
    with committed(site_waymark.uow) as uow:
        assert accounts.account_for_token(uow, site_waymark.clock, token) is None
    assert [e.action for e in audit_trail(site_waymark)][-2:] == ["token-add", "token-revoke"]


async def test_another_accounts_token_cannot_be_revoked(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.COACH)
    token = _token_value((await other.post("/account/tokens", {"name": "coach's"})).text)
    with committed(site_waymark.uow) as uow:
        token_id = uow.session.exec(select(ApiToken.id)).one()
    await site.login_as(Role.STAFF)
    assert (await site.post(f"/account/tokens/{token_id}/revoke")).status_code == 404
    assert "coach&#39;s" not in (await site.get("/account/tokens")).text
    with committed(site_waymark.uow) as uow:
        assert accounts.account_for_token(uow, site_waymark.clock, token) is not None
    assert "token-revoke" not in [e.action for e in audit_trail(site_waymark)]


async def test_an_admin_sees_and_revokes_anyones_tokens(
    site_waymark: Waymark, site: Site, other: Site
) -> None:
    await other.login_as(Role.COACH)
    token = _token_value((await other.post("/account/tokens", {"name": "caseload sync"})).text)
    with committed(site_waymark.uow) as uow:
        token_id = uow.session.exec(select(ApiToken.id)).one()
    await site.login_as(Role.ADMIN)
    coach_id = account_id(site_waymark, ROLE_EMAILS[Role.COACH])
    staff_id = account_id(site_waymark, ROLE_EMAILS[Role.STAFF])
    page = await site.get(f"/accounts/{coach_id}")
    assert "caseload sync" in page.text
    assert token not in page.text
    wrong_account = await site.post(f"/accounts/{staff_id}/tokens/{token_id}/revoke")
    assert wrong_account.status_code == 404
    done = await site.post(f"/accounts/{coach_id}/tokens/{token_id}/revoke")
    assert done.status_code == 303
    with committed(site_waymark.uow) as uow:
        assert accounts.account_for_token(uow, site_waymark.clock, token) is None
