"""A coach's view of a person's web chat: read-only (what the person sees, nothing to
press or type), audited, behind the coach's session, never the chat's own address."""

from __future__ import annotations

import httpx
import pytest

from bot.composition import Waymark
from bot.models import Role, WebchatMessage
from tests.support.caseloads import ALEX, SAM, audit_of, person_id, rows, two_caseloads
from tests.support.web import Site
from tests.support.webchat import WebPerson, data_of
from tests.support.webchat_world import BASE
from web.app import create_app


@pytest.fixture
async def coach(site: Site, site_waymark: Waymark) -> Site:
    two_caseloads(site_waymark)
    await site.login_as(Role.COACH)
    return site


async def _sam_on_the_web_chat(app: Waymark) -> WebPerson:
    chat_id = await app.webchat.intake.link_person(person_id(app, SAM))
    assert chat_id is not None
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(app)), base_url=BASE)
    sam = WebPerson(client, chat_id)
    await sam.open()
    await sam.press("ob:consent:agree")
    return sam


async def test_the_coach_reads_what_the_person_sees_and_cannot_press(
    coach: Site, site_waymark: Waymark
) -> None:
    sam = await _sam_on_the_web_chat(site_waymark)
    view = await coach.get(f"/people/{SAM}/chat")
    assert view.status_code == 200
    assert view.headers["cache-control"] == "no-store"
    assert "Hello Sam." in view.text
    assert "Sam pressed" in view.text  # the consent press, on the person's side
    assert "How do you like your messages?" in view.text
    assert "<li>📝 Words</li>" in view.text  # their open buttons, as labels only
    assert "/press" not in view.text
    assert "<form" not in view.text.split('aria-label="Messages"')[1]
    assert sam.chat_id not in view.text  # the capability never reaches the coach
    assert ("view", "web chat") in audit_of(site_waymark, SAM)
    # Looking changed nothing in the chat.
    before = len(rows(site_waymark, WebchatMessage))
    await coach.get(f"/people/{SAM}/chat")
    assert len(rows(site_waymark, WebchatMessage)) == before
    await sam.client.aclose()


async def test_files_of_the_chat_only_and_only_for_its_coach(
    coach: Site, site_waymark: Waymark
) -> None:
    sam = await _sam_on_the_web_chat(site_waymark)
    newest = (await sam.messages())[-1]
    show_me = next(d for d in data_of(newest) if d.startswith("md:pictures:"))
    await sam.press(show_me)  # "Show me": the message again as a picture card
    card = next(r for r in rows(site_waymark, WebchatMessage) if r.media_sha256)
    view = await coach.get(f"/people/{SAM}/chat")
    url = f"/people/{SAM}/chat/files/{card.media_sha256}"
    assert f'src="{url}"' in view.text
    got = await coach.get(url)
    assert got.status_code == 200
    assert got.headers["content-type"] == "image/png"
    assert got.headers["cache-control"] == "no-store"
    assert (await coach.get(f"/people/{SAM}/chat/files/{'a' * 64}")).status_code == 404
    assert (await coach.get(f"/people/{SAM}/chat/files/not-a-hash")).status_code == 404
    # Someone else's person, or a person not on the web chat: the same refusal as nobody.
    assert (await coach.get(f"/people/{ALEX}/chat")).status_code == 404
    assert (await coach.get("/people/IOM-0003/chat")).status_code == 404
    await sam.client.aclose()


async def test_the_view_ends_with_the_coach_s_session(coach: Site, site_waymark: Waymark) -> None:
    sam = await _sam_on_the_web_chat(site_waymark)
    assert (await coach.get(f"/people/{SAM}/chat")).status_code == 200
    await coach.post("/logout")
    after = await coach.get(f"/people/{SAM}/chat")
    assert after.status_code in (303, 401)
    assert "Hello Sam." not in after.text
    await sam.client.aclose()
