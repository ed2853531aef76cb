"""What the web chat tests share: the reminder they expect, people linked straight to
the web chat and onboarded by its buttons, and a reminder made due."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlmodel import select

from bot.composition import Waymark
from bot.models import Person
from bot.storage import committed
from tests.support import world
from tests.support.webchat import WebPerson

STARTS = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # Wednesday 25 November, 10:00 GMT
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
REMINDER = (
    "Tomorrow 10:00, Camberwell\n"
    "Sam, tomorrow: Wednesday 25 November, 10:00, Camberwell Office, "
    "45 Camberwell Road. You will see Jo."
)
LABELS = [
    "✅ I am coming",
    "⏰ Running late",
    "❌ I can't come",
    "🗺 How do I get there",
    "📅 Add to calendar",
    "🔊 Read it to me",
    "🖼 Show me",
]
BASE = "https://waymark.test"


async def onboarded(
    app: Waymark, web: httpx.AsyncClient, ref: str = "IOM-0001", name: str = "Sam", **kw: str
) -> WebPerson:
    """A person linked straight to the web chat and through onboarding by its buttons."""
    if not people_exist(app):
        world.add_coach(app)
    person = world.add_person(app, ref=ref, name=name)
    assert person.id is not None
    chat_id = await app.webchat.intake.link_person(person.id)
    assert chat_id is not None
    sam = WebPerson(web, chat_id)
    await sam.open()
    await sam.press("ob:consent:agree")
    await sam.press(f"ob:format:{kw.get('format_', 'words')}")
    await sam.press("ob:reminders:recommended")
    await sam.press("ob:quiet:quiet_none")
    await sam.press(f"ob:discreet:discreet_{kw.get('discreet', 'on')}")
    await sam.press("ob:practice:coming")
    return sam


def people_exist(app: Waymark) -> bool:
    with committed(app.uow) as uow:
        return uow.session.exec(select(Person)).first() is not None


async def reminder_due(app: Waymark, ref: str = "IOM-0001") -> int:
    appointment = world.add_appointment(app, STARTS, ref=ref)
    assert appointment.id is not None
    app.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]
    return appointment.id
