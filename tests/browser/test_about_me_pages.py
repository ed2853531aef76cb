"""The About me (communication passport) in a real browser, at a phone's width and a
desktop's: the coach fills it in with the person on their page, sees it there, opens the
print page, and printing it gives one A4 page without the dashboard around it. No serious
axe-core violations, and nothing wider than the screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from bot.models import Decision, Purpose, Role, Via
from bot.services import consent_history
from tests.support import world
from tests.support.axe import assert_accessible
from tests.support.live import LiveServer
from tests.support.web import PASSWORD, ROLE_EMAILS

SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _log_in(live: LiveServer, page: Page, role: Role) -> None:
    page.goto(f"{live.url}/login")
    page.get_by_label("Email address").fill(ROLE_EMAILS[role])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", SIZES)
def test_the_coach_fills_in_about_me_and_prints_it_on_one_page(
    live: LiveServer, page: Page, size: str
) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    world.add_person(live.waymark)
    with live.waymark.uow() as uow:
        person = world.person(live.waymark)
        consent_history.record(
            uow.session, live.waymark.clock, person, Purpose.PASSPORT, Decision.GIVEN, via=Via.BOT
        )
        uow.commit()
    _log_in(live, page, Role.COACH)
    page.goto(f"{live.url}/people/IOM-0001#about-me")
    expect(page.get_by_text("No About me yet.")).to_be_visible()

    form = page.locator("form[action$='/about-me']")
    form.get_by_label("Calm and slow").check()
    form.get_by_label("Having it written down").check()
    form.get_by_label("Longer to take it in").check()
    form.get_by_label("Waiting rooms").check()
    form.get_by_label("Morning").check()
    form.locator("#about-overwhelmed-words").fill("Let me walk outside for five minutes")
    form.get_by_label("Anything else, in their words (optional)").fill("I stammer when nervous")
    form.get_by_role("button", name="Save as a new version").click()

    expect(page.get_by_role("alert")).to_contain_text("saved as a new version")
    section = page.locator("dl.wm-about-me")
    expect(section).to_contain_text("Having it written down, Longer to take it in")
    expect(section).to_contain_text("“Let me walk outside for five minutes”")
    expect(page.get_by_text("They said IOM staff who work with them may see it.")).to_be_visible()
    assert page.evaluate(FITS)
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Print their About me")).click()
    expect(page.get_by_role("heading", name="About me: Sam", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="What helps me understand")).to_be_visible()
    assert page.evaluate(FITS)
    assert_accessible(page)

    page.emulate_media(media="print")
    expect(page.locator("header.govuk-header")).to_be_hidden()
    expect(page.locator(".govuk-breadcrumbs")).to_be_hidden()
    expect(page.get_by_text("I stammer when nervous")).to_be_visible()
    printed = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", printed)) == 1
