"""The web chat in a real browser: the page's script draws the messages, sends presses
and words with the CSRF header, follows new messages live, and works by keyboard alone
with no serious axe-core violations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from bot.composition import build
from tests.conftest import make_settings
from tests.support import world
from tests.support.axe import assert_accessible
from tests.support.fakes import FixedClock
from tests.support.live import LiveServer

STARTS = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
REMINDER = (
    "Tomorrow 10:00, Camberwell\n"
    "Sam, tomorrow: Wednesday 25 November, 10:00, Camberwell Office, "
    "45 Camberwell Road. You will see Jo."
)


@pytest.fixture
def live(engine: Engine, clock: FixedClock, db_url: str) -> Iterator[LiveServer]:
    waymark = build(make_settings(db_url), clock=clock, engine=engine)
    world.add_coach(waymark)
    with LiveServer(waymark) as server:
        yield server


def _open_chat(live: LiveServer, page: Page) -> None:
    person = world.add_person(live.waymark)
    assert person.id is not None
    chat_id = live.call(live.waymark.webchat.intake.link_person(person.id))
    page.goto(f"{live.url}/chat/{chat_id}")
    expect(page.locator("#state")).to_have_text("Online")


def test_onboarding_by_keyboard_alone(live: LiveServer, page: Page) -> None:
    _open_chat(live, page)
    messages = page.locator("#messages > li")
    expect(messages.first).to_contain_text("Hello Sam. I am Waymark.")
    assert_accessible(page)

    agree = page.get_by_role("button", name="✅ I agree")
    agree.focus()
    page.keyboard.press("Enter")

    expect(page.locator("li.me").first).to_have_text("✅ I agree")
    expect(page.get_by_role("button", name="📝 Words")).to_be_visible()
    expect(agree).to_have_count(0)  # its buttons closed, live
    page.get_by_label("Write a message").focus()
    page.keyboard.type("/help")
    page.keyboard.press("Enter")
    expect(page.locator("li.me").last).to_have_text("/help")  # shown, never stored
    expect(messages.last).to_contain_text("999")
    assert_accessible(page)


def test_a_reminder_arrives_live_and_is_answered(live: LiveServer, page: Page) -> None:
    _open_chat(live, page)
    onboarding = ["✅ I agree", "🖼 Pictures", "✅ Yes, that is OK", "🔔 No quiet time"]
    for label in [*onboarding, "🔒 Yes, keep private"]:
        page.get_by_role("button", name=label, exact=True).click()
    page.get_by_role("button", name="✅ I am coming", exact=True).click()
    expect(page.get_by_text("You said: ✅ I am coming")).to_be_visible()
    world.add_appointment(live.waymark, STARTS)
    live.waymark.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]

    live.tick()

    card = page.locator("li.bot img.card").last
    expect(card).to_have_attribute("alt", REMINDER)
    assert card.evaluate("image => image.complete && image.naturalWidth") == 1080
    page.get_by_role("button", name="✅ I am coming", exact=True).last.click()
    thanks = page.locator("#messages > li").last.get_by_role("img")
    expect(thanks).to_have_attribute("alt", "Thank you. See you there.")  # a card, for Sam
    page.get_by_role("button", name="🔊 Read it to me", exact=True).last.click()
    expect(page.locator("li.bot audio").last).to_be_visible()
    assert_accessible(page)


def test_how_do_i_get_there_links_the_journey_planner_and_the_map(
    live: LiveServer, page: Page
) -> None:
    _open_chat(live, page)
    onboarding = ["✅ I agree", "📝 Words", "✅ Yes, that is OK", "🔔 No quiet time"]
    for label in [*onboarding, "🔒 Yes, keep private", "✅ I am coming"]:
        page.get_by_role("button", name=label, exact=True).last.click()
    expect(page.get_by_text("That is everything for now")).to_be_visible()
    world.add_appointment(live.waymark, STARTS)
    live.waymark.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]
    live.tick()

    page.get_by_role("button", name="🗺 How do I get there", exact=True).last.click()

    query = "Camberwell+Office%2C+45+Camberwell+Road"
    planner = page.get_by_role("link", name="https://tfl.gov.uk/plan-a-journey/", exact=False)
    expect(planner).to_have_attribute("href", f"https://tfl.gov.uk/plan-a-journey/?to={query}")
    expect(planner).to_have_attribute("rel", "noopener noreferrer")
    map_link = page.get_by_role("link", name="https://www.openstreetmap.org/", exact=False)
    expect(map_link).to_have_attribute(
        "href", f"https://www.openstreetmap.org/search?query={query}"
    )
    last = page.locator("#messages > li").last
    expect(last).to_contain_text("How to get to Camberwell:")
    expect(last.get_by_role("button", name="✅ I am coming")).to_be_visible()
    assert_accessible(page)
