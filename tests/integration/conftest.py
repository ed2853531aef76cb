from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine

from bot.composition import Waymark, build
from tests.conftest import make_settings
from tests.support import world
from tests.support.api import ApiWorld, build_world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat
from tests.support.fakes import FixedClock
from tests.support.web import Site, add_accounts
from web.app import create_app

SAM_CHAT = 5001


@pytest.fixture
async def running(waymark: Waymark) -> AsyncIterator[Waymark]:
    """Waymark polling the stand-in Bot API, as `waymark serve` runs it."""
    await waymark.start()
    try:
        yield waymark
    finally:
        await waymark.stop()


@pytest.fixture
def sam(botapi: StandInBotAPI) -> Chat:
    return Chat(botapi, SAM_CHAT)


@pytest.fixture
async def onboarded(running: Waymark, sam: Chat) -> Waymark:
    """Sam, linked and through onboarding with words, recommended reminders, no quiet time
    and discreet previews."""
    world.add_coach(running)
    world.add_person(running)
    await sam.say(f"/start {world.invite(running)}", expect=3)
    await sam.press("ob:consent:agree")
    await sam.press("ob:format:words")
    await sam.press("ob:reminders:recommended")
    await sam.press("ob:quiet:quiet_none")
    await sam.press("ob:discreet:discreet_on", expect=2)
    await sam.press("ob:practice:coming", expect=2)
    return running


@pytest.fixture
def site_waymark(engine: Engine, clock: FixedClock, db_url: str) -> Waymark:
    """Waymark with no Telegram token: the dashboard, the API and the web chat only."""
    return build(make_settings(db_url), clock=clock, engine=engine)


@pytest.fixture
async def site(site_waymark: Waymark) -> AsyncIterator[Site]:
    """The web app, reached over ASGI like a browser would, with one account per role."""
    add_accounts(site_waymark)
    async with Site(create_app(site_waymark)) as browser:
        yield browser


@pytest.fixture
async def other(site_waymark: Waymark, site: Site) -> AsyncIterator[Site]:
    """A second browser (on a second worker), for the account an admin changes."""
    async with Site(create_app(site_waymark)) as browser:
        yield browser


@pytest.fixture
async def api(site_waymark: Waymark) -> AsyncIterator[ApiWorld]:
    """The JSON API with a client per role (tests/support/api.py)."""
    built = build_world(site_waymark)
    try:
        yield built
    finally:
        await built.close()
