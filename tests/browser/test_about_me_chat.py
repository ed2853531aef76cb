"""The person builds their About me in the web chat, in a real browser at a phone's width
and a desktop's: /aboutme, taps, their own words, the sharing question, then /aboutme shows
it again. The newest message stays in view, nothing is wider than the screen, and axe finds
no serious problem. (The coach's side and the print page: test_about_me_pages.py.)"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine
from sqlmodel import select

from bot.composition import build
from bot.models import ConsentEvent, PassportVersion
from tests.conftest import make_settings
from tests.support.axe import assert_accessible
from tests.support.fakes import FixedClock
from tests.support.live import LiveServer
from tests.support.webchat_world import onboarded

SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
IN_VIEW = """() => {
  const items = document.querySelectorAll('#messages > li');
  const box = items[items.length - 1].getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}"""


@pytest.fixture
def live(engine: Engine, clock: FixedClock, db_url: str) -> Iterator[LiveServer]:
    """Waymark with no accounts yet: onboarded() adds Sam's coach."""
    with LiveServer(build(make_settings(db_url), clock=clock, engine=engine)) as server:
        yield server


async def _onboarded_chat(live: LiveServer) -> str:
    """Sam, linked to the web chat and through onboarding by its buttons (over HTTP)."""
    async with httpx.AsyncClient(base_url=live.url) as web:
        sam = await onboarded(live.waymark, web)
    return sam.chat_id


def _press(page: Page, label: str, then: str) -> None:
    page.get_by_role("button", name=label, exact=True).last.click()
    expect(page.locator("#messages > li").last).to_contain_text(then)
    assert page.evaluate(IN_VIEW)


def _say(page: Page, words: str, then: str) -> None:
    page.get_by_label("Write a message").fill(words)
    page.get_by_label("Write a message").press("Enter")
    expect(page.locator("#messages > li").last).to_contain_text(then)
    assert page.evaluate(IN_VIEW)


@pytest.mark.parametrize("size", SIZES)
def test_the_person_builds_their_about_me_in_the_web_chat(
    live: LiveServer, page: Page, size: str
) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    chat_id = live.call(_onboarded_chat(live))
    page.goto(f"{live.url}/chat/{chat_id}")
    expect(page.locator("#state")).to_have_text("Online")

    _say(page, "/aboutme", "How do you like people to talk to you?")
    _press(page, "🐢 Calm and slow", "What helps you understand?")
    page.get_by_role("button", name="📝 Written down", exact=True).last.click()
    expect(page.locator("#toast")).to_have_text("Added.")
    _press(page, "✅ Done", "What makes things hard for you?")
    page.get_by_role("button", name="📞 Phone calls", exact=True).last.click()
    expect(page.locator("#toast")).to_have_text("Added.")
    _press(page, "✅ Done", "What time of day is best for you?")
    _press(page, "🌅 Morning", "If it all gets too much, what helps you?")
    _say(page, "Let me walk outside for five minutes", "How do you like to get information?")
    _press(page, "🔊 Voice notes", "Is there anything else?")
    _press(page, "✅ Done", "Can your case workers see your About me?")
    assert page.evaluate(FITS)
    assert_accessible(page)
    _press(page, "✅ Yes, they can", "Your About me is saved.")

    _say(page, "/aboutme", "")
    expect(page.locator("#messages")).to_contain_text("Let me walk outside for five minutes")
    assert page.evaluate(FITS)
    assert_accessible(page)
    with live.waymark.uow() as uow:
        versions = uow.session.exec(select(PassportVersion)).all()
        shared = uow.session.exec(
            select(ConsentEvent.decision).where(ConsentEvent.purpose == "passport")
        ).all()
    assert len(versions) == 1
    assert list(shared) == ["given"]
