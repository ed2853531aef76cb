"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against
Waymark running for real on loopback. Nothing is downloaded: Playwright's own browsers
are never installed. Without Chromium the tests skip with one line, except in CI, where
a skipped browser test would hide a missing install step, so they fail instead."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from sqlalchemy import Engine

from bot.composition import build
from tests.conftest import make_settings
from tests.support.fakes import FixedClock
from tests.support.live import LiveServer
from tests.support.web import add_accounts


def _chromium() -> str | None:
    found = os.environ.get("WAYMARK_CHROMIUM") or shutil.which("chromium")
    return found if found and Path(found).exists() else None


# expect() waits on the page's events; a card or a voice note made on a loaded machine may
# take longer than Playwright's 5 s default, so every assertion waits up to 15 s (a passing
# run never waits longer than the page takes).
expect.set_options(timeout=15_000)


# Per module, not per session: while sync Playwright runs it holds an event loop open in
# this thread, and the asyncio tests that come after the browser tests could not run.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = _chromium()
    if executable is None:
        reason = "Chromium is not installed (apt-get install chromium): browser tests skipped"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}, and CI must run them")
        pytest.skip(reason)
    chromium = playwright.chromium.launch(executable_path=executable, headless=True)
    yield chromium
    chromium.close()


@pytest.fixture
def live(engine: Engine, clock: FixedClock, db_url: str) -> Iterator[LiveServer]:
    waymark = build(make_settings(db_url), clock=clock, engine=engine)
    add_accounts(waymark)
    with LiveServer(waymark) as server:
        yield server


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A tab; a test fails if the page's Content-Security-Policy refused anything in it
    (Chromium says so on the console), so a page that needs an inline script or style
    is caught here."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    refused: list[str] = []
    tab.on(
        "console",
        lambda message: (
            refused.append(f"{tab.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield tab
    context.close()
    assert refused == [], "the Content-Security-Policy refused something"
