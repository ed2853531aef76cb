"""The coaching through the API: preferences, goals and steps, nudges, the content
library and its editing, the alerts inbox, and reports with small numbers suppressed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.models import ContentEdit, OutboxMessage, OutboxStatus
from bot.services import alerts, plans
from bot.storage import committed
from tests.support import world
from tests.support.api import ALEX, SAM, Api, ApiWorld, audit_entries, fields
from tests.support.fakes import FixedClock

WEDNESDAY = "2026-11-25T10:00:00Z"


# -- preferences ----------------------------------------------------------------------------


async def test_a_coach_changes_how_a_person_gets_their_messages(api: ApiWorld) -> None:
    changed = await api.coach.patch(f"/people/{SAM}", {"format": "pictures", "easy_read": False})
    assert changed.status_code == 200
    preferences = changed.json()["preferences"]
    assert (preferences["format"], preferences["easy_read"]) == ("pictures", False)
    assert (await api.coach.get(f"/people/{SAM}")).json()["preferences"] == preferences


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "cy"}, "language"),
        ({"easy_read": "yes"}, "easy_read"),
        ({"format": "video"}, "format"),
        ({"name": "Samuel"}, "name"),
    ],
)
async def test_a_bad_preference_names_its_field_and_changes_nothing(
    api: ApiWorld, body: dict[str, object], field: str
) -> None:
    assert field in fields(await api.coach.patch(f"/people/{SAM}", body))
    assert audit_entries(api.waymark) == []


# -- goals and steps ------------------------------------------------------------------------


async def test_a_goal_gets_its_steps_in_order(api: ApiWorld) -> None:
    goal = await api.coach.post(
        f"/people/{SAM}/goals", {"title": "Get a bus pass", "model": "oscar"}
    )
    assert goal.status_code == 201
    goal_id = goal.json()["id"]
    first = await api.coach.post(f"/goals/{goal_id}/steps", {"text": "Find the form"})
    second = await api.coach.post(
        f"/goals/{goal_id}/steps", {"text": "Fill it in", "due_on": "2026-11-30"}
    )
    assert (first.json()["position"], second.json()["position"]) == (1, 2)
    (listed,) = (await api.coach.get(f"/people/{SAM}/goals")).json()
    assert listed["model"] == "oscar"
    assert [(s["text"], s["due_on"]) for s in listed["steps"]] == [
        ("Find the form", None),
        ("Fill it in", "2026-11-30"),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "Ring the office", "due_on": "2026-11-01"}, "due_on"),
        ({"text": "Ring the office", "due_on": "30/11/2026"}, "due_on"),
        ({"text": "x" * 161}, "text"),
        ({"text": ""}, "text"),
    ],
)
async def test_a_bad_step_names_its_field(
    api: ApiWorld, body: dict[str, object], field: str
) -> None:
    goal = (await api.coach.post(f"/people/{SAM}/goals", {"title": "Bus pass"})).json()
    assert field in fields(await api.coach.post(f"/goals/{goal['id']}/steps", body))


async def test_a_finished_goal_takes_no_more_steps(api: ApiWorld, clock: FixedClock) -> None:
    goal = (await api.coach.post(f"/people/{SAM}/goals", {"title": "Bus pass"})).json()
    await api.coach.post(f"/goals/{goal['id']}/steps", {"text": "Find the form"})
    with committed(api.waymark.uow) as uow:
        (step,) = plans.steps(uow.session, goal["id"])
        plans.finish_step(uow.session, clock, step)
        uow.commit()
    response = await api.coach.post(f"/goals/{goal['id']}/steps", {"text": "One more"})
    assert response.status_code == 409
    assert "done" in response.json()["detail"]


# -- nudges ---------------------------------------------------------------------------------


async def test_nudges_once_and_on_a_schedule_and_stopping_one(api: ApiWorld) -> None:
    once = await api.coach.post(
        f"/people/{SAM}/nudges", {"text": "Bring your letter", "at": WEDNESDAY}
    )
    weekly = await api.coach.post(
        f"/people/{SAM}/nudges", {"content_key": "mood_ask", "every": "Mon,Thu 18:00"}
    )
    assert once.status_code == weekly.status_code == 201, weekly.text
    assert weekly.json()["every"] == "mon,thu 18:00"
    stopped = await api.coach.post(f"/nudges/{once.json()['id']}/stop")
    assert stopped.json()["active"] is False
    with committed(api.waymark.uow) as uow:
        row = uow.session.exec(
            select(OutboxMessage).where(OutboxMessage.key == f"nudge:{once.json()['id']}")
        ).one()
    assert row.status == OutboxStatus.CANCELLED
    listed = (await api.coach.get(f"/people/{SAM}/nudges")).json()
    assert [(n["text"], n["content_key"], n["active"]) for n in listed] == [
        ("Bring your letter", None, False),
        (None, "mood_ask", True),
    ]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"text": "Hi", "content_key": "mood_ask", "at": WEDNESDAY}, "text", "or a content item"),
        ({"at": WEDNESDAY}, "text", "or a content item"),
        ({"text": "Hi"}, "at", "or a schedule"),
        ({"text": "Hi", "at": WEDNESDAY, "every": "daily 09:00"}, "at", "not both"),
        ({"content_key": "no_such_item", "at": WEDNESDAY}, "content_key", "not in the content"),
        ({"text": "Hi", "at": "2026-11-20T09:00:00Z"}, "at", "in the past"),
        ({"text": "Hi", "at": "2026-11-25T09:00:00"}, "at", "has no UTC offset"),
        ({"text": "Hi", "every": "someday 25:00"}, "every", "not"),
        ({"text": "Hi", "every": "0 9 30 2 *"}, "every", "never fire"),
        ({"text": "x" * 401, "at": WEDNESDAY}, "text", "at most 400"),
    ],
)
async def test_a_bad_nudge_names_its_field_and_saves_nothing(
    api: ApiWorld, body: dict[str, object], field: str, words: str
) -> None:
    problems = fields(await api.coach.post(f"/people/{SAM}/nudges", body))
    assert words in problems[field], problems
    assert (await api.coach.get(f"/people/{SAM}/nudges")).json() == []


# -- content --------------------------------------------------------------------------------


async def test_the_content_library_lists_every_item_and_shows_one(api: ApiWorld) -> None:
    listed = (await api.coach.get("/content")).json()
    assert [item["key"] for item in listed] == sorted(api.waymark.content.messages)
    item = (await api.coach.get("/content/reminder_evening")).json()
    assert item["text"].startswith("{name}, tomorrow:")
    assert item["card"]["kind"] == "appointment"
    assert (await api.coach.get("/content/nothing_here")).status_code == 404
    assert "language" in fields(await api.coach.get("/content", language="xx"))


async def test_an_edit_within_the_writing_rules_is_saved_and_shown(api: ApiWorld) -> None:
    edited = await api.coach.patch("/content/reply_coming", {"text": "Thank you. See you soon."})
    assert edited.status_code == 200, edited.text
    assert edited.json()["text"] == "Thank you. See you soon."
    assert (await api.manager.get("/content/reply_coming")).json()["text"] == edited.json()["text"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "Thank you, {name}. See you there."}, "text"),
        ({"card": {"title": ""}}, "card.title"),
        ({"colour": "red"}, "colour"),
        ({}, "body"),
    ],
)
async def test_an_edit_that_breaks_the_rules_names_the_field_and_saves_nothing(
    api: ApiWorld, body: dict[str, object], field: str
) -> None:
    assert field in fields(await api.coach.patch("/content/reply_coming", body))
    with committed(api.waymark.uow) as uow:
        assert uow.session.exec(select(ContentEdit)).all() == []


# -- alerts ---------------------------------------------------------------------------------


async def test_a_coach_sees_and_acknowledges_alerts_about_their_own_people(
    api: ApiWorld, clock: FixedClock
) -> None:
    people = [world.person(api.waymark, ref) for ref in (SAM, ALEX)]
    with committed(api.waymark.uow) as uow:
        for person in people:
            alerts.raise_alert(uow.session, clock, person, "late")
        uow.commit()
    (alert,) = (await api.coach.get("/alerts")).json()
    assert (alert["person_ref"], alert["kind"], alert["what"]) == (SAM, "late", "running late")
    seen = await api.coach.post(f"/alerts/{alert['id']}/acknowledge")
    assert seen.json()["acknowledged_at"] == "2026-11-23T12:00:00Z"
    assert (await api.coach.get("/alerts")).json() == []
    assert [a["id"] for a in (await api.coach.get("/alerts", seen="true")).json()] == [alert["id"]]


# -- reports --------------------------------------------------------------------------------


async def test_a_report_marks_its_suppressed_cells_and_gives_no_number(
    api: ApiWorld, clock: FixedClock
) -> None:
    added = await api.coach.post(
        f"/people/{SAM}/appointments",
        {"starts_at": WEDNESDAY, "place": "Camberwell Office", "with_whom": "Jo"},
    )
    clock.set(datetime(2026, 11, 25, 11, tzinfo=UTC))
    await api.coach.post(f"/appointments/{added.json()['id']}/outcome", {"outcome": "attended"})
    names = [r["name"] for r in (await api.manager.get("/reports")).json()]
    assert "attendance-by-month" in names
    report = (await api.manager.get("/reports/attendance-by-month")).json()
    assert report["columns"][0] == {"heading": "Month", "kind": "label"}
    november = next(row for row in report["rows"] if row[0]["value"] == "November 2026")
    assert november[1] == {"value": None, "suppressed": True, "text": "fewer than 5"}
    assert report["any_suppressed"] is True
    assert report["period"] == {"first": "2025-12-01", "last": "2026-11-25"}


async def test_a_report_s_period_and_name_are_checked(api: ApiWorld) -> None:
    assert (await api.manager.get("/reports/no-such-report")).status_code == 404
    reversed_ = await api.manager.get(
        "/reports/attendance-by-month", first="2026-06-01", last="2026-01-01"
    )
    assert "last" in fields(reversed_)
    assert "first" in fields(await api.manager.get("/reports/need-by-borough", first="soon"))
    window = await api.manager.get(
        "/reports/need-by-borough", first="2026-01-01", last="2026-03-31"
    )
    assert window.json()["period"] == {"first": "2026-01-01", "last": "2026-03-31"}


async def test_a_report_counts_only_the_people_the_account_may_count(
    api: ApiWorld, clock: FixedClock
) -> None:
    ids = []
    for hour in range(9, 15):
        body = {"starts_at": f"2026-11-25T{hour:02}:00:00Z", "place": "Office", "with_whom": "Jo"}
        ids.append((await api.coach.post(f"/people/{SAM}/appointments", body)).json()["id"])
    clock.set(datetime(2026, 11, 26, 9, tzinfo=UTC))
    for appointment_id in ids:
        await api.staff.post(f"/appointments/{appointment_id}/outcome", {"outcome": "attended"})

    async def attended(client: Api) -> object:
        report = (await client.get("/reports/attendance-by-month")).json()
        row = next(row for row in report["rows"] if row[0]["value"] == "November 2026")
        return row[1]["value"]  # None when suppressed (under 5)

    assert await attended(api.staff) == 6  # Sam is assigned to them
    assert await attended(api.coach) == 6  # Sam is on their caseload
    assert await attended(api.manager) == 6  # everyone
    assert await attended(api.other_coach) is None  # not theirs: none, so nothing to show
