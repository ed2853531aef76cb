"""The dashboard's side of About me and consent: the coach adds to the About me with the
person (every version kept), records consent; IOM staff see the About me only once the
person said yes; reports and the export leave out people who declined or withdrew and
say so; the admin sees who asked in the chat for their data to be deleted."""

from __future__ import annotations

import pytest

from bot.composition import Waymark
from bot.models import ConsentEvent, Decision, PassportVersion, Purpose, Role, Via
from bot.services import consent_history, erasure_requests
from tests.support import world
from tests.support.api import ApiWorld
from tests.support.caseloads import SAM, audit_of, rows, two_caseloads
from tests.support.web import Site

LEFT_OUT = "1 person left out: they declined or withdrew their consent."


@pytest.fixture
def cast(site: Site, site_waymark: Waymark) -> Site:
    two_caseloads(site_waymark)
    return site


async def _add(site: Site, **fields: str | list[str]) -> int:
    answer = await site.client.post(
        "/people/IOM-0001/about-me", data={"csrftoken": site.csrf, **fields}
    )
    return answer.status_code


def _record(app: Waymark, purpose: Purpose, decision: Decision) -> None:
    with app.uow() as uow:
        consent_history.record(
            uow.session, app.clock, world.person(app, SAM), purpose, decision, via=Via.BOT
        )
        uow.commit()


async def test_the_coach_adds_to_about_me_and_every_version_is_kept(
    cast: Site, site_waymark: Waymark
) -> None:
    await cast.login_as(Role.COACH)
    empty = await cast.get("/people/IOM-0001")
    assert "No About me yet." in empty.text

    assert await _add(cast, spoken="calm", understand=["written", "extra_time"]) == 303
    assert await _add(cast, hard=["crowds"], hard_words="the bus at rush hour", words="Tea") == 303

    page = await cast.get("/people/IOM-0001")
    assert "Version 2, made by" in page.text
    assert "Crowds. In their words: “the bus at rush hour”" in page.text
    assert "2 versions are kept" in page.text
    first, second = rows(site_waymark, PassportVersion)
    assert first.answers == {"spoken": ["calm"], "understand": ["written", "extra_time"]}
    assert second.answers == {"hard": ["crowds"], "hard_words": "the bus at rush hour"}
    assert (second.via, second.words) == ("dashboard", "Tea")
    assert ("change", "about me") in audit_of(site_waymark, SAM)


async def test_staff_see_the_about_me_only_after_the_person_says_yes(
    cast: Site, site_waymark: Waymark
) -> None:
    await cast.login_as(Role.COACH)
    await _add(cast, time="morning")
    await cast.login_as(Role.STAFF)

    hidden = await cast.get("/people/IOM-0001")
    printed = await cast.get("/people/IOM-0001/about-me")
    assert "They have not said their About me may be shared" in hidden.text
    assert "Morning" not in hidden.text
    assert printed.status_code == 200
    assert "Morning" not in printed.text

    _record(site_waymark, Purpose.PASSPORT, Decision.GIVEN)
    shown = await cast.get("/people/IOM-0001")
    printed = await cast.get("/people/IOM-0001/about-me")
    assert "Morning" in shown.text
    assert "Morning" in printed.text
    assert "about-me.css" not in printed.text  # the print CSS is a file, not inline
    assert "/static/about_me.css" in printed.text

    _record(site_waymark, Purpose.PASSPORT, Decision.WITHDRAWN)
    assert "Morning" not in (await cast.get("/people/IOM-0001")).text


async def test_the_coach_records_consent_and_bad_choices_are_refused(
    cast: Site, site_waymark: Waymark
) -> None:
    await cast.login_as(Role.COACH)

    done = await cast.post(
        "/people/IOM-0001/consent", {"purpose": "evaluation", "decision": "declined"}
    )
    assert done.status_code == 303
    page = await cast.get(done.headers["location"])
    refused = await cast.post("/people/IOM-0001/consent", {"purpose": "party", "decision": "yes"})
    assert "Recorded: Being counted in the evaluation, declined." in page.text
    assert "on the dashboard" in page.text
    assert refused.status_code == 422
    assert "Choose what the consent is for" in refused.text
    (event,) = rows(site_waymark, ConsentEvent)
    assert (event.purpose, event.decision, event.via) == ("evaluation", "declined", "dashboard")
    assert event.account_id is not None


async def test_too_many_words_in_about_me_are_refused_and_nothing_is_saved(
    cast: Site, site_waymark: Waymark
) -> None:
    await cast.login_as(Role.COACH)

    assert await _add(cast, words="word " * 200) == 422
    assert await _add(cast, spoken_words="x" * 300) == 422
    assert rows(site_waymark, PassportVersion) == []


async def test_reports_and_the_export_leave_out_who_declined_and_say_so(
    cast: Site, site_waymark: Waymark
) -> None:
    _record(site_waymark, Purpose.SERVICE, Decision.WITHDRAWN)
    await cast.login_as(Role.MANAGER)

    report = await cast.get("/reports/attendance-by-month")
    export = await cast.get("/reports/export")
    assert LEFT_OUT in report.text
    assert LEFT_OUT in export.text

    _record(site_waymark, Purpose.SERVICE, Decision.GIVEN)
    assert LEFT_OUT not in (await cast.get("/reports/attendance-by-month")).text
    _record(site_waymark, Purpose.EVALUATION, Decision.DECLINED)
    assert LEFT_OUT in (await cast.get("/reports/attendance-by-month")).text

    site_waymark.settings.evaluation_leaves_out = False
    assert LEFT_OUT not in (await cast.get("/reports/attendance-by-month")).text


async def test_the_admin_sees_who_asked_in_the_chat_for_their_data_to_be_deleted(
    cast: Site, site_waymark: Waymark
) -> None:
    with site_waymark.uow() as uow:
        person = world.person(site_waymark, SAM)
        assert erasure_requests.request_erasure(uow.session, site_waymark.clock, person, via="bot")
        assert not erasure_requests.request_erasure(
            uow.session, site_waymark.clock, person, via="bot"
        )
        uow.commit()
    await cast.login_as(Role.ADMIN)

    page = await cast.get("/records")

    assert "asked in the chat for their data to be deleted" in page.text
    assert 'href="/records/IOM-0001"' in page.text


async def test_a_closed_case_s_about_me_cannot_change_but_consent_can_still_be_recorded(
    cast: Site, site_waymark: Waymark
) -> None:
    await cast.login_as(Role.COACH)
    await cast.post("/people/IOM-0001/close")

    refused = await _add(cast, time="morning")
    withdrawn = await cast.post(
        "/people/IOM-0001/consent", {"purpose": "evaluation", "decision": "withdrawn"}
    )

    assert refused == 422
    assert rows(site_waymark, PassportVersion) == []
    assert withdrawn.status_code == 303
    assert [e.decision for e in rows(site_waymark, ConsentEvent)] == ["withdrawn"]


async def test_the_api_s_reports_say_how_many_were_left_out(api: ApiWorld) -> None:
    _record(api.waymark, Purpose.EVALUATION, Decision.DECLINED)

    report = (await api.manager.get("/reports/attendance-by-month")).json()
    coach_report = (await api.coach.get("/reports/attendance-by-month")).json()

    assert (report["left_out"], report["left_out_note"]) == (1, LEFT_OUT)
    assert coach_report["left_out"] == 1  # Sam is on the coach's caseload
    assert (await api.other_coach.get("/reports/attendance-by-month")).json()["left_out"] == 0
