"""The dashboard's part of a person's data lifecycle: a coach closes and reopens a case and
asks for an export; an admin sees the request, downloads the export (a zip of the page and
the JSON), erases a record in two steps, and reads the retention periods and last run."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from bot.composition import Waymark
from bot.models import AuditEntry, ChannelLink, Person, Role
from bot.services import accounts
from bot.services import webchat as webchat_service
from bot.storage import committed
from scheduler import retention as retention_job
from tests.support import world
from tests.support.caseloads import SAM, audit_of, person_id, rows, two_caseloads
from tests.support.web import Site

CLOSED = "This case is closed, so its record cannot be changed. Reopen the case first."


@pytest.fixture
def cast(site: Site, site_waymark: Waymark) -> Site:
    two_caseloads(site_waymark)
    with committed(site_waymark.uow) as uow:
        webchat_service.link_person(uow, site_waymark.clock, person_id(site_waymark, SAM))
    return site


async def test_a_coach_closes_a_case_which_then_refuses_changes_and_reopens(
    cast: Site, site_waymark: Waymark
) -> None:
    await cast.login_as(Role.COACH)
    page = await cast.get("/people/IOM-0001")
    assert "Close the case" in page.text

    closed = await cast.post("/people/IOM-0001/close")
    assert closed.status_code == 303
    shown = await cast.get(closed.headers["location"])
    assert "The case is closed. " in shown.text
    assert "A goodbye goes to their chat." in shown.text
    assert "This case was closed on" in shown.text
    assert "Reopen the case" in shown.text
    assert rows(site_waymark, ChannelLink) == []

    refused = await cast.post(
        "/people/IOM-0001/preferences", {"format": "voice", "easy_read": "yes", "language": "en"}
    )
    assert refused.status_code == 422
    assert CLOSED in refused.text
    assert world.person(site_waymark, SAM).format == "words"
    again = await cast.post("/people/IOM-0001/close")
    assert again.status_code == 422
    assert "closed already" in again.text

    reopened = await cast.post("/people/IOM-0001/reopen")
    assert reopened.status_code == 303
    assert world.person(site_waymark, SAM).closed_at is None
    changed = await cast.post(
        "/people/IOM-0001/preferences", {"format": "voice", "easy_read": "yes", "language": "en"}
    )
    assert changed.status_code == 303
    actions = [action for action, _ in audit_of(site_waymark, SAM)]
    assert actions.count("close") == 1
    assert actions.count("reopen") == 1


async def test_the_api_refuses_a_change_to_a_closed_case(cast: Site, site_waymark: Waymark) -> None:
    await cast.login_as(Role.COACH)
    await cast.post("/people/IOM-0001/close")
    with committed(site_waymark.uow) as uow:
        made = accounts.create_token(
            uow, site_waymark.clock, world.person(site_waymark, SAM).coach_id, "test"
        )
    answer = await cast.client.patch(
        "/api/v1/people/IOM-0001",
        json={"format": "voice"},
        headers={"Authorization": f"Bearer {made.token}"},
    )
    assert answer.status_code == 422
    assert CLOSED in answer.text


async def test_a_coach_asks_and_an_admin_exports(cast: Site, site_waymark: Waymark) -> None:
    await cast.login_as(Role.COACH)
    asked = await cast.post("/people/IOM-0001/export-request")
    assert "An admin has been asked" in (await cast.get(asked.headers["location"])).text
    twice = await cast.post("/people/IOM-0001/export-request")
    assert "asked already" in (await cast.get(twice.headers["location"])).text

    await cast.login_as(Role.ADMIN)
    records = await cast.get("/records")
    assert 'href="/records/IOM-0001"' in records.text
    found = await cast.get("/records?ref=iom-0001")
    assert (found.status_code, found.headers["location"]) == (303, "/records/IOM-0001")
    missing = await cast.get("/records?ref=IOM-9999")
    assert missing.status_code == 422
    assert "No person has the case reference IOM-9999" in missing.text

    record = await cast.get("/records/IOM-0001")
    assert "Their coach has asked for their export." in record.text
    download = await cast.post("/records/IOM-0001/export")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert 'filename="subject-access-IOM-0001.zip"' in download.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert sorted(archive.namelist()) == [
            "subject-access-IOM-0001.html",
            "subject-access-IOM-0001.json",
        ]
        data = json.loads(archive.read("subject-access-IOM-0001.json"))
        html = archive.read("subject-access-IOM-0001.html").decode()
    assert data["person"]["preferred_name"] == "Sam"
    assert "What Waymark keeps about Sam" in html
    assert "IOM-0001" not in (await cast.get("/records")).text  # the request is answered
    actions = audit_of(site_waymark, SAM)
    assert ("export-request", "subject access") in actions
    assert ("export", "subject access") in actions


async def test_an_admin_erases_a_record_in_two_steps(cast: Site, site_waymark: Waymark) -> None:
    await cast.login_as(Role.ADMIN)
    first = await cast.get("/records/IOM-0001/erase")
    assert "Step 1 of 2" in first.text
    empty = await cast.post("/records/IOM-0001/erase", {"reason": " "})
    assert empty.status_code == 422
    assert "Give the reason for the erasure" in empty.text
    naming = await cast.post("/records/IOM-0001/erase", {"reason": "Sam asked us"})
    assert naming.status_code == 422
    assert "must not name the person" in naming.text

    second = await cast.post("/records/IOM-0001/erase", {"reason": "request by letter"})
    assert second.status_code == 200
    assert "Step 2 of 2" in second.text
    assert 'name="reason" value="request by letter"' in second.text
    wrong = await cast.post(
        "/records/IOM-0001/erase/confirm", {"reason": "request by letter", "typed": "IOM-0003"}
    )
    assert wrong.status_code == 422
    assert rows(site_waymark, Person, Person.ref == SAM)

    gone = await cast.post(
        "/records/IOM-0001/erase/confirm", {"reason": "request by letter", "typed": "iom-0001"}
    )
    assert gone.status_code == 303
    assert "The record is erased" in (await cast.get(gone.headers["location"])).text
    assert rows(site_waymark, Person, Person.ref == SAM) == []
    assert (await cast.get("/records/IOM-0001")).status_code == 404
    erased = rows(site_waymark, AuditEntry, AuditEntry.action == "erase")
    assert [(e.subject, e.person_id, e.via) for e in erased] == [
        ("erasure: request by letter", None, "web")
    ]
    trail = await cast.get("/audit")
    assert "Erased a record" in trail.text


async def test_the_admin_sees_the_retention_periods_and_the_last_run(
    cast: Site, site_waymark: Waymark
) -> None:
    await cast.login_as(Role.ADMIN)
    before = await cast.get("/retention")
    assert "The job has not run yet." in before.text
    assert "The record of each message sent, with its words" in before.text
    assert "730 days" in before.text
    retention_job.run(site_waymark.uow, site_waymark.clock, site_waymark.settings.retention)
    after = await cast.get("/retention")
    assert "The last run" in after.text
    assert "Nothing was past its period." in after.text
    assert 'href="/retention"' in after.text
