"""Joining the web chat with an invite code from the page: a GET spends nothing, a wrong
code is answered and not kept, and wrong codes from one browser are throttled."""

from __future__ import annotations

import httpx
from sqlmodel import col, select

from bot.composition import Waymark
from bot.models import ChannelLink, WebchatMessage
from bot.storage import committed
from tests.support import world
from tests.support.database import ON_EVERY_DATABASE
from tests.support.webchat import WebPerson

pytestmark = ON_EVERY_DATABASE


async def test_an_invite_is_redeemed_from_the_page(
    waymark: Waymark, web: httpx.AsyncClient
) -> None:
    world.add_coach(waymark)
    world.add_person(waymark)
    code = world.invite(waymark)
    await web.get("/chat/join")  # the CSRF cookie
    token = {"csrftoken": web.cookies["csrftoken"]}

    form = await web.get("/chat/join", params={"code": code})
    assert form.status_code == 200
    assert f'value="{code}"' in form.text
    with committed(waymark.uow) as uow:
        assert uow.session.exec(select(ChannelLink)).first() is None  # a GET spends nothing

    wrong = await web.post("/chat/join", data={"code": "x" * 32, **token})
    assert wrong.status_code == 400
    assert "This link or code does not work." in wrong.text
    joined = await web.post("/chat/join", data={"code": code, **token})

    assert joined.status_code == 303
    chat_id = joined.headers["location"].rsplit("/", 1)[1]
    with committed(waymark.uow) as uow:
        link = uow.session.exec(select(ChannelLink)).one()
        orphans = uow.session.exec(
            select(WebchatMessage).where(col(WebchatMessage.chat_id) != chat_id)
        ).all()
    assert (link.channel, link.chat_id, link.person_id) == ("webchat", chat_id, 1)
    assert orphans == []  # the wrong code's answer was shown, not kept
    sam = WebPerson(web, chat_id)
    await sam.open()
    assert (await sam.messages())[0]["words"].startswith("Hello Sam.")


async def test_wrong_codes_from_one_browser_are_throttled(
    waymark: Waymark, web: httpx.AsyncClient
) -> None:
    await web.get("/chat/join")
    token = {"csrftoken": web.cookies["csrftoken"]}
    for _ in range(5):
        assert (await web.post("/chat/join", data={"code": "y" * 32, **token})).status_code == 400
    throttled = await web.post("/chat/join", data={"code": "y" * 32, **token})
    assert "Too many tries." in throttled.text
