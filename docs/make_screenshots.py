"""Make the screenshots in docs/screenshots/ from the demo, in Debian's Chromium.

    uv run python docs/make_screenshots.py

The demo is made in a temporary database (never ./var), served on a free loopback port
as `waymark demo` serves it, and photographed as a coach, a manager and a person sees it.
Emoji on the buttons need a colour emoji font (Debian's fonts-noto-color-emoji), as on a
phone; without it they show as empty boxes.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.composition import build  # noqa: E402 - after the path is set
from bot.demo import seed  # noqa: E402
from bot.demo.people import MANAGER, PRIYA, DemoAccount  # noqa: E402
from bot.settings import DatabaseSettings, Settings  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from tests.support.live import LiveServer  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def log_in(page: Page, url: str, account: DemoAccount) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def main() -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("Chromium is needed: apt-get install chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database=DatabaseSettings(url=f"sqlite:///{folder}/demo.db"))
        settings.run_as_demo()  # as `waymark demo` serves it: no second factor for its accounts
        waymark = build(settings)
        upgrade(waymark.engine)
        demo = seed.prepare(waymark.engine, waymark.clock, waymark.content)
        with LiveServer(waymark) as live, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=chromium, headless=True)
            desk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
            log_in(desk, live.url, PRIYA)
            desk.goto(f"{live.url}/people")
            desk.screenshot(path=OUT / "caseload.png", full_page=True)
            desk.locator("table a").first.click()
            desk.wait_for_load_state()
            desk.set_viewport_size({"width": 1280, "height": 1800})
            desk.screenshot(path=OUT / "person.png")  # the top: the whole page is very long
            desk.set_viewport_size({"width": 1280, "height": 900})
            desk.goto(f"{live.url}/content/reminder_evening")
            desk.get_by_label("Easy-read words").fill(
                "{name}, tomorrow: {date}, {time}, {place}. Hang in there, see you there."
            )
            time.sleep(2)  # the live preview draws the card and the voice note
            desk.screenshot(path=OUT / "content-editor.png", full_page=True)
            manager = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
            log_in(manager, live.url, MANAGER)
            manager.goto(f"{live.url}/reports/attendance-by-month")
            manager.screenshot(path=OUT / "report.png", full_page=True)
            phone = browser.new_page(viewport={"width": 420, "height": 860}, locale="en-GB")
            time.sleep(31)  # the demo's coaches send each person a message 30 s after
            live.tick()
            pictures = next(p for p in demo.phones if p.format == "pictures")
            phone.goto(f"{live.url}/chat/{pictures.chat_id}")
            phone.wait_for_selector("#messages img")
            time.sleep(1)
            phone.screenshot(path=OUT / "webchat.png")
            browser.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
