"""No head-of-line blocking: a chat whose send hangs, or is refused with a 429, holds up
only its own rows; every other chat's go on. Claims are small here (two rows), so the
other chats' rows are in later claims: a dispatcher that waited for a whole claim to
finish before taking the next would leave them waiting too."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine

from bot.composition import Waymark, build
from tests.conftest import make_settings
from tests.support import due
from tests.support.botapi import StandInBotAPI
from tests.support.database import ON_EVERY_DATABASE
from tests.support.fakes import FixedClock

pytestmark = ON_EVERY_DATABASE
CHATS = 6


@pytest.fixture
async def app(
    engine: Engine, botapi: StandInBotAPI, clock: FixedClock, db_url: str, framework: str
) -> AsyncIterator[Waymark]:
    settings = make_settings(db_url, botapi, framework=framework)
    scheduler = settings.scheduler.model_copy(update={"batch_size": 2})
    app = build(settings.model_copy(update={"scheduler": scheduler}), clock=clock, engine=engine)
    await app.open()
    try:
        yield app
    finally:
        await app.stop()


def _accepted(botapi: StandInBotAPI) -> dict[int, float]:
    """When each chat's message was accepted, by chat."""
    return {c.params["chat_id"]: c.time for c in botapi.calls_to("sendMessage") if c.status == 200}


async def test_a_chat_whose_send_hangs_holds_up_no_other(
    app: Waymark, botapi: StandInBotAPI
) -> None:
    people = due.linked(app, CHATS)
    for person in people:
        due.notes_due(app, person, 1)
    stuck, *others = [person.chat_id for person in people]
    held = botapi.hold("sendMessage", chat_id=stuck)
    tick = asyncio.create_task(app.dispatcher.tick())
    await held.arrived.wait()
    await botapi.wait_for("sendMessage", count=len(others))  # while the first still hangs
    assert set(_accepted(botapi)) == set(others)
    assert not tick.done()
    held.release()
    assert (await tick).counts == {"sent": CHATS}
    assert set(_accepted(botapi)) == {stuck, *others}


async def test_a_429_holds_up_only_its_own_chat(app: Waymark, botapi: StandInBotAPI) -> None:
    people = due.linked(app, CHATS)
    for person in people:
        due.notes_due(app, person, 1)
    refused, *others = [person.chat_id for person in people]
    botapi.fail_next("sendMessage", 429, retry_after=1, chat_id=refused)
    assert (await app.dispatcher.tick()).counts == {"sent": CHATS}
    accepted = _accepted(botapi)
    (refusal,) = [c for c in botapi.calls_to("sendMessage") if c.status == 429]
    assert accepted[refused] - refusal.time >= 0.8  # it waited as Telegram asked...
    assert all(accepted[chat] < accepted[refused] for chat in others)  # ...and alone


async def test_rows_of_one_chat_go_in_order(app: Waymark, botapi: StandInBotAPI) -> None:
    (person,) = due.linked(app, 1)
    due.notes_due(app, person, 5)
    assert (await app.dispatcher.tick()).counts == {"sent": 5}
    texts = [c.params["text"] for c in botapi.calls_to("sendMessage") if c.status == 200]
    assert [text.rsplit(" ", 1)[-1] for text in texts] == ["1", "2", "3", "4", "5"]
