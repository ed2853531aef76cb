"""Joining the web chat: a pairing code works there, the chat's address is always made
fresh (never the one a cookie names), and wrong codes are throttled by the browser's
address as well as its cookie: a browser that drops its cookie gets no new tries."""

from __future__ import annotations

import httpx
from sqlmodel import select

from bot.composition import Waymark
from bot.models import ChannelLink, LinkAttempt
from bot.services import pairing
from tests.support import world
from tests.support.database import ON_EVERY_DATABASE
from tests.support.webchat_world import BASE
from web.app import create_app

pytestmark = ON_EVERY_DATABASE


def _browser(app: Waymark, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(app), client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url=BASE)


async def _try(browser: httpx.AsyncClient, code: str) -> httpx.Response:
    browser.cookies.delete("waymark_join")  # a fresh chat for every try
    if "csrftoken" not in browser.cookies:
        await browser.get("/chat/join")
    return await browser.post(
        "/chat/join", data={"code": code, "csrftoken": browser.cookies["csrftoken"]}
    )


async def test_a_pairing_code_joins_the_web_chat(waymark: Waymark) -> None:
    world.add_coach(waymark)
    world.add_person(waymark)
    spoken = world.pairing_code(waymark)
    async with _browser(waymark, "192.0.2.10") as browser:
        joined = await _try(browser, spoken)
    assert joined.status_code == 303
    chat_id = joined.headers["location"].rsplit("/", 1)[1]
    with waymark.uow() as uow:
        link = uow.session.exec(select(ChannelLink)).one()
    assert (link.channel, link.chat_id, link.person_id) == ("webchat", chat_id, 1)


async def test_a_planted_cookie_never_becomes_the_chat(waymark: Waymark) -> None:
    world.add_coach(waymark)
    world.add_person(waymark)
    code = world.invite(waymark)
    planted = "P" * 32  # the right shape, left on a shared computer
    async with _browser(waymark, "192.0.2.40") as browser:
        await browser.get("/chat/join")
        browser.cookies.set("waymark_join", planted, path="/chat/join")
        joined = await browser.post(
            "/chat/join", data={"code": code, "csrftoken": browser.cookies["csrftoken"]}
        )
        assert joined.status_code == 303
        chat_id = joined.headers["location"].rsplit("/", 1)[1]
        assert chat_id != planted
        assert (await browser.get(f"/chat/{planted}/messages")).status_code == 404


async def test_wrong_codes_from_one_address_are_throttled(waymark: Waymark) -> None:
    world.add_coach(waymark)
    world.add_person(waymark)
    spoken = world.pairing_code(waymark)
    wrong = f"{(int(spoken.replace(' ', '')) + 1) % 1_000_000:06d}"
    async with _browser(waymark, "192.0.2.20") as guesser:
        for _ in range(pairing.ADDRESS_FAILURES):
            assert (await _try(guesser, wrong)).status_code == 400
        refused = await _try(guesser, spoken)
    assert refused.status_code == 429
    assert "Too many tries." in refused.text
    with waymark.uow() as uow:
        assert uow.session.exec(select(ChannelLink)).first() is None
        keys = {
            a.chat_id
            for a in uow.session.exec(select(LinkAttempt)).all()
            if a.channel == pairing.ADDRESS
        }
    secret = waymark.settings.web.secret_key.get_secret_value()
    assert keys == {pairing.address_key(secret, "192.0.2.20")}  # keyed, never the address
    # Another address is not held back by this one's guesses.
    async with _browser(waymark, "192.0.2.30") as neighbour:
        assert (await _try(neighbour, spoken)).status_code == 303
