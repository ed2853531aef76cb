"""The caseload and a person's page: what a coach sees and changes, what IOM staff may
see (a summary, never the coaching), and that another coach's person does not exist."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.composition import Waymark
from bot.flows.types import Say
from bot.models import (
    AuditEntry,
    ChannelLink,
    Format,
    Goal,
    Invite,
    Need,
    NeedCategory,
    Nudge,
    Person,
    Role,
)
from bot.services import alerts, engagement, plans, sent
from bot.storage import committed
from tests.support import world
from tests.support.caseloads import ALEX, KIM, SAM, audit_of, person_id, rows, two_caseloads
from tests.support.fakes import FixedClock
from tests.support.web import Site

SOON = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
async def coach(site: Site, site_waymark: Waymark) -> Site:
    two_caseloads(site_waymark)
    await site.login_as(Role.COACH)
    return site


@pytest.fixture
async def staff(site: Site, site_waymark: Waymark) -> Site:
    two_caseloads(site_waymark)
    await site.login_as(Role.STAFF)
    return site


async def test_the_caseload_lists_the_coachs_own_people_with_their_state(
    coach: Site, site_waymark: Waymark
) -> None:
    world.add_appointment(site_waymark, SOON, SAM)
    sam = world.person(site_waymark, SAM)
    with committed(site_waymark.uow) as uow:
        assert sam.id is not None
        uow.session.add(
            ChannelLink(
                channel="telegram",
                chat_id="5001",
                person_id=sam.id,
                linked_at=site_waymark.clock.now(),
                unreachable_at=site_waymark.clock.now(),
            )
        )
        engagement.record(uow.session, site_waymark.clock, sam.id, "in_text")
        alerts.raise_alert(uow.session, site_waymark.clock, sam, "late")
        uow.commit()
    page = await coach.get("/people")
    assert page.status_code == 200
    assert SAM in page.text
    assert KIM in page.text
    assert ALEX not in page.text  # another coach's
    assert "Wednesday 25 November, 10:00" in page.text  # next appointment, London time
    assert "Monday 23 November, 12:00" in page.text  # last reply
    assert "Cannot be reached" in page.text
    assert "Telegram" in page.text
    assert "Not linked" in page.text  # Kim
    assert '1</strong><span class="govuk-visually-hidden"> open alerts for IOM-0001' in page.text


async def test_a_coach_adds_a_person_to_their_own_caseload(
    coach: Site, site_waymark: Waymark
) -> None:
    added = await coach.post(
        "/people",
        {"ref": "iom-0042", "name": " Jo ", "borough": "Lambeth", "leads": "1d,60m"},
    )
    assert added.status_code == 303
    assert added.headers["location"] == "/people/IOM-0042"
    page = await coach.get(added.headers["location"])
    assert "Jo (IOM-0042) is on your caseload" in page.text
    person = world.person(site_waymark, "IOM-0042")
    assert person.preferred_name == "Jo"
    assert person.borough == "Lambeth"
    assert person.leads == "1d,60m"
    assert person.coach_id == rows(site_waymark, Person, Person.ref == SAM)[0].coach_id
    assert ("change", "new person", person.id) in [
        (e.action, e.subject, e.person_id) for e in rows(site_waymark, AuditEntry)
    ]
    assert not [e for e in rows(site_waymark, AuditEntry) if "IOM-0042" in e.subject]


async def test_a_bad_new_person_names_each_field_keeps_what_was_typed_and_saves_nothing(
    coach: Site, site_waymark: Waymark
) -> None:
    before = len(rows(site_waymark, Person))
    page = await coach.post(
        "/people", {"ref": "IOM 42!", "name": "  ", "borough": "Atlantis", "leads": "soon"}
    )
    assert page.status_code == 422
    assert "There is a problem" in page.text
    assert "A case reference has up to 40 letters, digits, - _ and /" in page.text
    assert "Enter the name they like to be called" in page.text
    assert "Choose the borough they live in" in page.text
    assert "Reminder times: &#39;soon&#39; is not a lead time" in page.text
    assert 'value="IOM 42!"' in page.text
    assert len(rows(site_waymark, Person)) == before
    assert not rows(site_waymark, AuditEntry, AuditEntry.action == "change")


async def test_a_reference_in_use_is_refused_in_words(coach: Site, site_waymark: Waymark) -> None:
    page = await coach.post("/people", {"ref": ALEX, "name": "Al", "borough": "Brent"})
    assert page.status_code == 422
    assert "A person with this case reference exists already" in page.text
    assert world.person(site_waymark, ALEX).preferred_name == "Alex"


async def test_a_reference_with_a_slash_has_a_page(coach: Site) -> None:
    added = await coach.post("/people", {"ref": "IOM/7", "name": "Ray", "borough": "Barnet"})
    assert added.headers["location"] == "/people/IOM~7"
    page = await coach.get("/people/IOM~7")
    assert page.status_code == 200
    assert "Case reference IOM/7" in page.text


async def test_the_person_page_shows_everything_and_is_audited(
    coach: Site, site_waymark: Waymark, clock: FixedClock
) -> None:
    sam = world.person(site_waymark, SAM)
    assert sam.id is not None
    with committed(site_waymark.uow) as uow:
        say = Say("nudge", {"text": "Drink water"})
        sent.record(uow.session, clock, sam.id, "telegram", say, "words")
        clock.advance(minutes=1)
        engagement.record(uow.session, clock, sam.id, "mood", {"colour": "amber"})
        clock.advance(minutes=1)
        alerts.raise_alert(uow.session, clock, sam, "message", "Can we talk on Friday")
    page = await coach.get(f"/people/{SAM}")
    assert page.status_code == 200
    assert page.text.count("<h1") == 1
    for words in (
        "Profile",
        "Needs from screening",
        "This is not a diagnosis",
        "Goals and steps",
        "Nudges",
        "Mood check-ins",
        "Make a new invite",
        "Timeline",
    ):
        assert words in page.text, words
    timeline = page.text.split('id="timeline"')[1]
    newest_first = [
        timeline.index("Can we talk on Friday"),  # relayed words: the coach's own person
        timeline.index("Mood check-in: amber"),
        timeline.index("Drink water"),  # a sent message's words, made again from its key
    ]
    assert newest_first == sorted(newest_first)
    assert "Monday 23 November, 12:02" in timeline  # London time
    assert audit_of(site_waymark, SAM) == [("view", "person")]


async def test_preferences_change_and_bad_ones_change_nothing(
    coach: Site, site_waymark: Waymark
) -> None:
    done = await coach.post(
        f"/people/{SAM}/preferences", {"format": "pictures", "easy_read": "no", "language": "en"}
    )
    assert done.status_code == 303
    sam = world.person(site_waymark, SAM)
    assert (sam.format, sam.easy_read) == (Format.PICTURES, False)
    bad = await coach.post(
        f"/people/{SAM}/preferences", {"format": "smoke", "easy_read": "no", "language": "xx"}
    )
    assert bad.status_code == 422
    assert "Choose words, pictures or voice" in bad.text
    assert "Choose a language the content library has" in bad.text
    assert world.person(site_waymark, SAM).format == Format.PICTURES
    assert ("change", "preferences") in audit_of(site_waymark, SAM)


async def test_needs_are_recorded_with_who_and_when_and_removed(
    coach: Site, site_waymark: Waymark
) -> None:
    assert (await coach.post(f"/people/{SAM}/needs", {"category": "adhd"})).status_code == 303
    page = await coach.get(f"/people/{SAM}")
    assert "ADHD" in page.text
    assert "Monday 23 November" in page.text
    twice = await coach.post(f"/people/{SAM}/needs", {"category": "adhd"})
    assert twice.status_code == 422
    assert "ADHD is recorded already" in twice.text
    nonsense = await coach.post(f"/people/{SAM}/needs", {"category": "bad-vibes"})
    assert nonsense.status_code == 422
    assert "Choose a category of need" in nonsense.text
    [need] = rows(site_waymark, Need)
    assert need.category == NeedCategory.ADHD
    removed = await coach.post(f"/people/{SAM}/needs/{need.id}/remove")
    assert removed.status_code == 303
    assert rows(site_waymark, Need)[0].removed_at is not None
    assert ("change", f"need {need.id}") in audit_of(site_waymark, SAM)


async def test_a_need_of_someone_else_is_not_found_under_this_reference(
    coach: Site, site_waymark: Waymark
) -> None:
    await coach.post(f"/people/{KIM}/needs", {"category": "autism"})
    [need] = rows(site_waymark, Need)
    response = await coach.post(f"/people/{SAM}/needs/{need.id}/remove")
    assert response.status_code == 404
    assert rows(site_waymark, Need)[0].removed_at is None


async def test_the_web_chat_link_shows_when_they_use_the_web_chat(
    coach: Site, site_waymark: Waymark
) -> None:
    with committed(site_waymark.uow) as uow:
        uow.session.add(
            ChannelLink(
                channel="webchat",
                chat_id="wc-abc",
                person_id=person_id(site_waymark, SAM),
                linked_at=site_waymark.clock.now(),
            )
        )
    page = await coach.get(f"/people/{SAM}")
    assert f'href="/people/{SAM}/chat"' in page.text  # the read-only view
    assert "/chat/wc-abc" not in page.text  # never the chat's own address
    assert "Open their web chat" in page.text


OTHERS_ROUTES = [
    ("GET", f"/people/{ALEX}"),
    ("POST", f"/people/{ALEX}/preferences"),
    ("POST", f"/people/{ALEX}/needs"),
    ("POST", f"/people/{ALEX}/needs/1/remove"),
    ("POST", f"/people/{ALEX}/invite"),
    ("POST", f"/people/{ALEX}/appointments"),
    ("GET", f"/people/{ALEX}/appointments/1"),
    ("POST", f"/people/{ALEX}/appointments/1/move"),
    ("POST", f"/people/{ALEX}/appointments/1/cancel"),
    ("POST", f"/people/{ALEX}/appointments/1/outcome"),
    ("POST", f"/people/{ALEX}/goals"),
    ("POST", f"/people/{ALEX}/goals/1/steps"),
    ("POST", f"/people/{ALEX}/goals/1/checkins"),
    ("POST", f"/people/{ALEX}/nudges"),
    ("POST", f"/people/{ALEX}/nudges/1/stop"),
    ("POST", f"/people/{ALEX}/mood"),
]


async def _call(site: Site, method: str, path: str) -> int:
    data = {
        "format": "voice",
        "easy_read": "no",
        "language": "en",
        "category": "adhd",
        "date": "2026-12-01",
        "time": "10:00",
        "place": "Brixton",
        "with_whom": "Jo",
        "kind": "probation",
        "outcome": "missed",
        "title": "A goal",
        "model": "grow",
        "text": "Words",
        "how": "once",
        "every": "weekdays 08:30",
    }
    response = await (site.get(path) if method == "GET" else site.post(path, data))
    return response.status_code


async def test_another_coachs_person_does_not_exist_for_any_route(
    coach: Site, site_waymark: Waymark
) -> None:
    alex = world.person(site_waymark, ALEX)
    world.add_appointment(site_waymark, SOON, ALEX)  # appointment 1 and goal 1 are Alex's
    with committed(site_waymark.uow) as uow:
        goal = plans.add_goal(uow, site_waymark.clock, ALEX, "Their goal", "grow")
    with committed(site_waymark.uow) as uow:
        plans.add_step(uow, site_waymark.clock, goal.id or 0, "A step", None)
    for method, path in OTHERS_ROUTES:
        assert await _call(coach, method, path) == 404, path
    assert world.person(site_waymark, ALEX) == alex
    assert not rows(
        site_waymark, AuditEntry, AuditEntry.person_id == alex.id, AuditEntry.via == "web"
    )
    assert len(rows(site_waymark, Goal)) == 1
    assert not rows(site_waymark, Nudge)
    assert not rows(site_waymark, Need)
    assert not rows(site_waymark, Invite)


async def test_not_found_says_nothing_about_whether_they_exist(coach: Site) -> None:
    theirs = await coach.get(f"/people/{ALEX}")
    nobody = await coach.get("/people/IOM-9999")
    assert theirs.status_code == nobody.status_code == 404
    assert "Alex" not in theirs.text


async def test_staff_see_only_the_people_assigned_to_them(staff: Site) -> None:
    page = await staff.get("/people")
    assert page.status_code == 200
    assert SAM in page.text
    assert KIM not in page.text
    assert ALEX not in page.text
    assert "Add a person" not in page.text
    assert "Open alerts" not in page.text
    assert (await staff.get(f"/people/{KIM}")).status_code == 404


async def test_staff_see_a_summary_never_the_coaching(staff: Site, site_waymark: Waymark) -> None:
    sam = world.person(site_waymark, SAM)
    assert sam.id is not None
    with committed(site_waymark.uow) as uow:
        plans.add_goal(uow, site_waymark.clock, SAM, "Secret goal title", "grow")
    with committed(site_waymark.uow) as uow:
        clock = site_waymark.clock
        sent.record(
            uow.session, clock, sam.id, "telegram", Say("nudge", {"text": "Secret nudge"}), "words"
        )
        engagement.record(uow.session, clock, sam.id, "mood", {"colour": "red"})
        alerts.raise_alert(uow.session, clock, sam, "message", "Secret relayed words")
    world.add_appointment(site_waymark, SOON, SAM, place="Camberwell Office")
    page = await staff.get(f"/people/{SAM}")
    assert page.status_code == 200
    for shown in ("Attendance and engagement", "Reply rate", "Camberwell Office", "Southwark"):
        assert shown in page.text, shown
    for hidden in (
        "Secret goal title",
        "Secret nudge",
        "Secret relayed words",
        "Mood check-in: red",
        "Timeline",
        "Make a new invite",
    ):
        assert hidden not in page.text, hidden
    assert audit_of(site_waymark, SAM) == [("view", "person")]


async def test_staff_cannot_change_the_coaching(staff: Site, site_waymark: Waymark) -> None:
    for path in (
        f"/people/{SAM}/preferences",
        f"/people/{SAM}/needs",
        f"/people/{SAM}/invite",
        f"/people/{SAM}/appointments",
        f"/people/{SAM}/goals",
        f"/people/{SAM}/nudges",
        f"/people/{SAM}/mood",
        "/people",
        "/alerts/1/acknowledge",
    ):
        assert await _call(staff, "POST", path) == 403, path
    assert not rows(site_waymark, AuditEntry, AuditEntry.action == "change")


async def test_staff_cannot_open_the_alerts(staff: Site) -> None:
    assert (await staff.get("/alerts")).status_code == 403


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
async def test_managers_and_admins_have_no_caseload(
    site: Site, site_waymark: Waymark, role: Role
) -> None:
    two_caseloads(site_waymark)
    await site.login_as(role)
    assert (await site.get("/people")).status_code == 403
    assert (await site.get(f"/people/{SAM}")).status_code == 403


async def test_the_caseload_view_is_audited_without_a_person(
    coach: Site, site_waymark: Waymark
) -> None:
    await coach.get("/people")
    entries = rows(site_waymark, AuditEntry, AuditEntry.subject == "caseload")
    assert [(e.action, e.person_id) for e in entries] == [("view", None)]
