"""The whole loop in a real browser, as the issue asks it to be shown: a coach logs in,
adds a person and an invite, the person joins the web chat from the invite and goes
through onboarding, the coach adds an appointment, its reminder arrives in the web chat
live and is answered, the answer is in the timeline and the alert in the inbox, the
outcome is recorded, each report opens with its chart; and IOM staff, logged in, cannot
see the coaching."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, expect

from bot.models import Role
from bot.services import accounts
from bot.services.reports import REPORTS
from bot.storage import committed
from tests.support import world
from tests.support.axe import assert_accessible
from tests.support.caseloads import account_id, person_id
from tests.support.live import LiveServer
from tests.support.web import PASSWORD, ROLE_EMAILS

REF = "IOM-0042"
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # the clock starts on the 23rd
AFTER_IT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def log_in(page: Page, live: LiveServer, role: Role) -> None:
    page.goto(f"{live.url}/login")
    page.get_by_label("Email address").fill(ROLE_EMAILS[role])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def add_person_and_invite(page: Page, live: LiveServer) -> str:
    page.goto(f"{live.url}/people")
    page.get_by_label("Case reference").fill(REF)
    page.get_by_label("Preferred name").fill("Sam")
    page.get_by_label("Borough").select_option("Southwark")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sam")
    assert_accessible(page)
    page.get_by_role("button", name="Make a new invite").click()
    expect(page.locator("svg").first).to_be_visible()  # the QR code
    assert_accessible(page)
    link = page.locator("#webchat-link").get_attribute("href") or ""
    parts = urlsplit(link)
    return f"{live.url}{parts.path}?{parts.query}"  # the live server's own port


def join_and_onboard(phone: Page, invite: str) -> None:
    phone.goto(invite)
    phone.get_by_role("button", name="Start").click()
    expect(phone.locator("#messages > li").first).to_contain_text("Hello Sam")
    onboarding = ["✅ I agree", "📝 Words", "✅ Yes, that is OK", "🔔 No quiet time"]
    for label in [*onboarding, "🔒 Yes, keep private"]:
        phone.get_by_role("button", name=label, exact=True).click()
    phone.get_by_role("button", name="✅ I am coming", exact=True).click()
    expect(phone.get_by_text("You said: ✅ I am coming")).to_be_visible()


def add_appointment(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.url}/people/{REF}")
    when = page.get_by_role("group", name="When", exact=True)
    when.get_by_label("Date").fill("2026-11-25")
    when.get_by_label("Time").fill("10:00")
    page.get_by_label("Place").fill("Camberwell Office, 45 Camberwell Road")
    page.get_by_label("Who they will see").fill("Jo")
    page.get_by_role("button", name="Add appointment").click()
    expect(page.get_by_role("table", name="Coming up")).to_contain_text("Camberwell Office")


def test_the_coach_and_the_person_round_the_whole_loop(
    live: LiveServer, page: Page, browser: Browser
) -> None:
    log_in(page, live, Role.COACH)
    invite = add_person_and_invite(page, live)
    phone_context = browser.new_context(viewport={"width": 400, "height": 800})
    phone = phone_context.new_page()
    join_and_onboard(phone, invite)
    add_appointment(page, live)

    live.waymark.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]
    live.tick()
    reminder = phone.locator("#messages > li").last
    expect(reminder).to_contain_text("tomorrow: Wednesday 25 November, 10:00")
    phone.get_by_role("button", name="⏰ Running late", exact=True).last.click()
    expect(phone.locator("li.me").last).to_have_text("⏰ Running late")
    assert_accessible(phone)
    phone_context.close()

    page.goto(f"{live.url}/people/{REF}")
    timeline = page.locator(".wm-timeline")
    expect(timeline).to_contain_text("late")
    page.goto(f"{live.url}/alerts")
    expect(page.get_by_role("main")).to_contain_text(REF)
    assert_accessible(page)
    page.get_by_role("button", name="Acknowledge").first.click()
    expect(page.get_by_text("No open alerts")).to_be_visible()

    live.waymark.clock.set(AFTER_IT)  # type: ignore[attr-defined]
    page.goto(f"{live.url}/people/{REF}")
    page.get_by_label("Outcome of the appointment on").select_option("attended")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_role("table", name="Past and cancelled")).to_contain_text("Attended")

    for name in REPORTS:
        page.goto(f"{live.url}/reports/{name}")
        expect(page.locator(".wm-chart svg")).to_be_visible()
        expect(page.locator("table")).to_be_visible()
    assert_accessible(page)


def test_iom_staff_see_attendance_but_never_the_coaching(live: LiveServer, page: Page) -> None:
    app = live.waymark
    world.add_person(app, REF, "Sam")
    with committed(app.uow) as uow:
        accounts.assign(
            uow, app.clock, account_id(app, ROLE_EMAILS[Role.STAFF]), person_id(app, REF)
        )
    log_in(page, live, Role.STAFF)
    page.goto(f"{live.url}/people")
    page.get_by_role("link", name=REF).click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Appointments")
    for coaching in ("Goals and steps", "Nudges", "Timeline", "Mood check-ins", "Invite"):
        expect(page.get_by_role("heading", name=coaching)).to_have_count(0)
    assert_accessible(page)
    refused = page.goto(f"{live.url}/alerts")
    assert refused is not None
    assert refused.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
