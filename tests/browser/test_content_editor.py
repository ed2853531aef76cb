"""The content editor in a real browser: the preview follows the typing (a finding appears
without pressing a button; the card and the voice note are there), a save, a refused
save, and no serious axe-core violations on the library or the editor; where no voice note
can be made, the page says so beside the player."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from bot.composition import build
from bot.media.cache import DiskCache
from bot.media.speech import Speech
from bot.models import Role
from tests.conftest import make_settings
from tests.support import second_factor
from tests.support.axe import assert_accessible
from tests.support.fakes import FixedClock
from tests.support.live import LiveServer
from tests.support.speech import MemoryEngine
from tests.support.web import PASSWORD, ROLE_EMAILS, add_accounts

IDIOM = "It is a piece of cake."
EASY = "Send /next to see your next appointment. Your coach is {coach}."


def _log_in(live: LiveServer, page: Page, role: Role = Role.COACH) -> None:
    page.goto(f"{live.url}/login")
    page.get_by_label("Email address").fill(ROLE_EMAILS[role])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if role in second_factor.ASKED:
        second_factor.enter_code(page, live.waymark, ROLE_EMAILS[role])
    page.wait_for_load_state()


def _loaded(page: Page, selector: str) -> bool:
    loaded: bool = page.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0")
    return loaded


def test_the_library_passes_axe_and_leads_to_an_item(live: LiveServer, page: Page) -> None:
    _log_in(live, page)
    page.goto(f"{live.url}/content")
    expect(page.get_by_role("heading", level=1)).to_have_text("Content library")
    assert_accessible(page)

    page.get_by_label("Search by key or words").fill("help")
    page.get_by_label("Search by key or words").press("Enter")
    page.get_by_role("link", name="help", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("help")


def test_the_preview_follows_the_typing_and_the_words_are_saved(
    live: LiveServer, page: Page
) -> None:
    _log_in(live, page)
    page.goto(f"{live.url}/content/help")
    card = 'img[data-preview="card"]'
    expect(page.locator(card)).to_be_visible()
    # A function, not an expression: Playwright evals an expression, which the CSP refuses.
    page.wait_for_function(f"() => document.querySelector('{card}').naturalWidth > 0")
    audio = page.locator('audio[data-preview="voice"]')
    expect(audio).to_have_attribute("src", re.compile(r"^/content/help/voice\.ogg\?"))
    voice = page.request.get(f"{live.url}{audio.get_attribute('src')}")
    assert (voice.status, voice.headers["content-type"]) == (200, "audio/ogg")
    assert_accessible(page)

    easy = page.get_by_label("Easy-read words")
    easy.press("End")
    easy.press_sequentially(f" {IDIOM}", delay=10)  # typing, and no button pressed

    findings = page.locator("#findings")
    expect(findings).to_contain_text("'piece of cake' is an idiom")
    expect(findings.get_by_role("link", name="Easy-read words").first).to_be_visible()
    expect(page.locator('[data-preview="easy"]')).to_contain_text(IDIOM)
    expect(page.locator('[data-preview="summary"]')).to_contain_text("problem")
    assert_accessible(page)

    title = page.get_by_label("Card title")
    title.fill("Help for you")
    expect(page.locator(card)).to_have_attribute("alt", re.compile(r"^Help for you\. "))
    expect(page.locator(card)).to_have_attribute("src", re.compile(r"card_title=Help\+for\+you"))
    page.wait_for_function(f"() => document.querySelector('{card}').complete")
    assert _loaded(page, card)

    easy.fill(EASY)
    expect(findings).not_to_contain_text("piece of cake")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Saved. People get the new words from now on")).to_be_visible()
    expect(page.get_by_label("Easy-read words")).to_have_value(EASY)
    expect(page.get_by_role("cell", name=re.compile("easy-read words, card title"))).to_be_visible()
    assert live.waymark.content.message("help").easy == EASY
    assert_accessible(page)


def test_a_refused_save_keeps_the_words_and_says_what_to_fix(live: LiveServer, page: Page) -> None:
    _log_in(live, page, Role.MANAGER)
    page.goto(f"{live.url}/content/help")
    page.get_by_label("Easy-read words").fill(f"{IDIOM} {EASY}")
    page.get_by_role("button", name="Save").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_contain_text("is an idiom")
    expect(page.get_by_label("Easy-read words")).to_have_value(f"{IDIOM} {EASY}")
    assert live.waymark.content.message("help").easy != f"{IDIOM} {EASY}"
    assert_accessible(page)

    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Easy-read words")).to_be_focused()


def test_a_voice_note_that_cannot_be_made_is_said_beside_the_player(
    engine: Engine, clock: FixedClock, db_url: str, tmp_path: Path, page: Page
) -> None:
    mute = MemoryEngine()
    mute.fail = True  # as if no engine could speak
    speech = Speech([mute], DiskCache(tmp_path), clock)
    waymark = build(make_settings(db_url), clock=clock, engine=engine, speech=speech)
    add_accounts(waymark)
    with LiveServer(waymark) as live:
        _log_in(live, page)
        page.goto(f"{live.url}/content/help")
        failed = page.locator('[data-part="voice-failed"]')
        expect(failed).to_be_hidden()

        page.locator('audio[data-preview="voice"]').evaluate("audio => audio.load()")

        expect(failed).to_be_visible()
        expect(failed).to_have_text(
            "This Waymark could not make the voice note just now. "
            "People who chose voice get the words instead."
        )
