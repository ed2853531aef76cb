"""The web chat keeps the newest message in view: above the message box at a phone's width
and at a desktop's, after every exchange, on opening, and with a "New message" button when
the person has scrolled up to read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from bot.composition import build
from tests.conftest import make_settings
from tests.support import world
from tests.support.fakes import FixedClock
from tests.support.live import LiveServer

STARTS = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}

# The newest message's bottom edge and its last button are inside the scrolling list,
# above the message box, and the page itself does not scroll.
NEWEST_IN_VIEW = """() => {
  const list = document.getElementById("messages");
  const newest = list.lastElementChild;
  if (!newest) return false;
  const form = document.getElementById("say").getBoundingClientRect();
  const area = list.getBoundingClientRect();
  const floor = Math.min(area.bottom, form.top, window.innerHeight) + 1;
  const box = newest.getBoundingClientRect();
  const buttons = newest.querySelectorAll("button");
  const lastButton = buttons.length ? buttons[buttons.length - 1].getBoundingClientRect() : box;
  const pageStill = document.scrollingElement.scrollHeight <= window.innerHeight + 1;
  return box.bottom <= floor && box.bottom > area.top
    && lastButton.top >= area.top && lastButton.bottom <= floor && pageStill;
}"""

NEWEST_SAYS = """(words) => {
  const newest = document.getElementById("messages").lastElementChild;
  if (!newest) return false;
  const alts = [...newest.querySelectorAll("img")].map((image) => image.alt).join(" ");
  return `${newest.textContent} ${alts}`.includes(words);
}"""

# Each exchange: what the person does (a button to tap or words to type), and words the
# newest message then holds.
EXCHANGES = (
    ("tap", "✅ I agree", "How do you like your messages?"),
    ("tap", "{format}", "I can remind you"),
    ("tap", "✅ Yes, that is OK", "When should I be quiet"),
    ("tap", "🔔 No quiet time", "Your phone may show the start"),
    ("tap", "🔒 Yes, keep private", "this is a practice"),
    ("tap", "✅ I am coming", "That is everything for now"),
    ("type", "/help", "999"),
    ("type", "/next", "You have no appointments planned"),
    ("type", "/mood", "How are you today?"),
    ("tap", "🟢 I am OK", "Good to hear"),
    ("type", "/help", "999"),
)


@pytest.fixture
def live(engine: Engine, clock: FixedClock, db_url: str) -> Iterator[LiveServer]:
    waymark = build(make_settings(db_url), clock=clock, engine=engine)
    world.add_coach(waymark)
    with LiveServer(waymark) as server:
        yield server


def _sized_page(browser: Browser, size: str) -> Page:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)  # a ceiling, not a wait: cards are drawn on a busy machine
    return page


def _open_chat(live: LiveServer, page: Page) -> str:
    person = world.add_person(live.waymark)
    assert person.id is not None
    chat_id = live.call(live.waymark.webchat.intake.link_person(person.id))
    url = f"{live.url}/chat/{chat_id}"
    page.goto(url)
    expect(page.locator("#state")).to_have_text("Online")
    return url


def _exchange(page: Page, action: str, what: str, then: str) -> None:
    if action == "tap":
        page.get_by_role("button", name=what, exact=True).last.click()
    else:
        page.get_by_label("Write a message").fill(what)
        page.get_by_label("Write a message").press("Enter")
    page.wait_for_function(NEWEST_SAYS, arg=then)  # its words, or its picture's words
    page.wait_for_function(NEWEST_IN_VIEW)


@pytest.mark.parametrize(("size", "format_"), [("phone", "🖼 Pictures"), ("desktop", "📝 Words")])
def test_the_newest_message_stays_above_the_message_box(
    live: LiveServer, browser: Browser, size: str, format_: str
) -> None:
    page = _sized_page(browser, size)
    url = _open_chat(live, page)
    page.wait_for_function(NEWEST_IN_VIEW)
    for action, what, then in EXCHANGES:
        _exchange(page, action, what.format(format=format_), then)
    expect(page.locator("#newer")).to_be_hidden()

    page.goto(url)  # opening the chat again lands on the newest message
    page.wait_for_function(NEWEST_SAYS, arg="999")
    page.wait_for_function(NEWEST_IN_VIEW)
    page.context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_new_message_waits_below_while_the_person_reads_up(
    live: LiveServer, browser: Browser, size: str
) -> None:
    page = _sized_page(browser, size)
    _open_chat(live, page)
    for action, what, then in EXCHANGES:
        _exchange(page, action, what.format(format="📝 Words"), then)
    messages = page.locator("#messages")
    messages.evaluate("list => { list.scrollTop = 0; }")  # they scroll up to read
    expect(page.locator("#newer")).to_be_hidden()

    world.add_appointment(live.waymark, STARTS)
    live.waymark.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]
    live.tick()

    newer = page.get_by_role("button", name="⬇ New message")
    expect(newer).to_be_visible()
    page.wait_for_function(NEWEST_SAYS, arg="Camberwell")
    assert messages.evaluate("list => list.scrollTop") == 0  # they stay where they read
    assert not page.evaluate(NEWEST_IN_VIEW)
    newer.click()
    page.wait_for_function(NEWEST_IN_VIEW)
    expect(newer).to_be_hidden()
    page.context.close()
