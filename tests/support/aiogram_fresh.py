"""A whole Waymark on aiogram in a fresh interpreter, where composition is the first to
import aiogram (so its types are built as they are first used: aiogram_import.py):
`python -m tests.support.aiogram_fresh DATABASE_URL` onboards a person over long polling
against the stand-in Bot API, and sends a reminder with its buttons. It prints one line
per step and exits 0 when all went as they should."""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta

from bot.composition import build
from tests.conftest import make_settings
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat
from tests.support.database import migrated_engine
from tests.support.fakes import FixedClock


async def main(url: str) -> None:
    assert "aiogram" not in sys.modules, "aiogram was imported before composition"
    clock = FixedClock()
    engine = migrated_engine(url)
    async with StandInBotAPI() as botapi:
        waymark = build(make_settings(url, botapi, framework="aiogram"), clock=clock, engine=engine)
        from aiogram.types import Message

        assert not Message.__pydantic_complete__, "aiogram's types were built at import"
        print("deferred at import")
        await waymark.start()
        try:
            world.add_coach(waymark)
            world.add_person(waymark)
            sam = Chat(botapi, 5001)
            replies = await sam.say(f"/start {world.invite(waymark)}", expect=3)
            assert replies[0].startswith("Hello Sam."), replies
            await sam.press("ob:consent:agree", expect=1)
            await sam.press("ob:format:words", expect=1)
            print("onboarding answered")
            world.add_appointment(waymark, clock.now() + timedelta(hours=2))
            clock.advance(hours=1, minutes=1)
            await waymark.dispatcher.tick()
            reminder = botapi.last_message(5001)
            assert reminder is not None
            assert reminder.get("reply_markup"), reminder
            print("reminder sent with buttons")
        finally:
            await waymark.stop()
            engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
