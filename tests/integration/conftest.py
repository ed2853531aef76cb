from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.composition import Waymark
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat

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
    """Sam, linked and through onboarding with words, recommended reminders, no quiet time."""
    world.add_coach(running)
    world.add_person(running)
    await sam.say(f"/start {world.invite(running)}", expect=3)
    await sam.press("ob:consent:agree")
    await sam.press("ob:format:words")
    await sam.press("ob:reminders:recommended")
    await sam.press("ob:quiet:quiet_none", expect=2)
    await sam.press("ob:practice:coming", expect=2)
    return running
