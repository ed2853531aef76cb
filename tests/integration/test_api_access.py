"""Who may do what through the API: the dashboard's roles, and 404 (never 403) for
anything of a person outside the account's own people."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from bot.services import alerts
from bot.storage import committed
from tests.support import world
from tests.support.api import ALEX, SAM, Api, ApiWorld
from tests.support.fakes import FixedClock

WEDNESDAY = "2026-11-25T10:00:00Z"
APPOINTMENT = {"starts_at": WEDNESDAY, "place": "Camberwell Office", "with_whom": "Jo"}


async def call(api: Api, method: str, path: str, body: object = None) -> httpx.Response:
    if method == "GET":
        return await api.get(path)
    if method == "PATCH":
        return await api.patch(path, body)
    return await api.post(path, body)


def person_calls(ref: str) -> list[tuple[str, str, object]]:
    return [
        ("GET", f"/people/{ref}", None),
        ("PATCH", f"/people/{ref}", {"easy_read": False}),
        ("POST", f"/people/{ref}/invites", None),
        ("POST", f"/people/{ref}/pairing-codes", None),
        ("GET", f"/people/{ref}/appointments", None),
        ("POST", f"/people/{ref}/appointments", APPOINTMENT),
        ("GET", f"/people/{ref}/goals", None),
        ("POST", f"/people/{ref}/goals", {"title": "Get a bus pass"}),
        ("GET", f"/people/{ref}/nudges", None),
        ("POST", f"/people/{ref}/nudges", {"text": "Hello", "at": WEDNESDAY}),
    ]


CALLS = [
    ("GET", "/people", None),
    ("POST", "/people", {"ref": "IOM-0050", "preferred_name": "Kim", "borough": "Brent"}),
    *person_calls(SAM),
    ("GET", "/content", None),
    ("GET", "/content/reply_coming", None),
    ("PATCH", "/content/reply_coming", {"text": "Thank you. See you soon."}),
    ("GET", "/alerts", None),
    ("GET", "/reports", None),
    ("GET", "/reports/attendance-by-month", None),
    ("GET", "/me", None),
]
# What each role gets for each call above, in order (the role table in bot/services/access.py):
# Y for done (200 or 201), N for 403.
EXPECTED = {
    "coach": "YYYYYYYYYYYYYYYYYYY",
    "staff": "YNYNNNYNNNNNNNNNYYY",
    "manager": "NNNNNNNNNNNNYYYNYYY",
    "admin": "NNNNNNNNNNNNNNNNNNY",
}


@pytest.mark.parametrize("role", list(EXPECTED))
async def test_each_role_may_do_what_the_dashboard_lets_it(api: ApiWorld, role: str) -> None:
    client = {"coach": api.coach, "staff": api.staff, "manager": api.manager, "admin": api.admin}
    got = ""
    for method, path, body in CALLS:
        response = await call(client[role], method, path, body)
        got += {200: "Y", 201: "Y", 403: "N"}.get(response.status_code, "?")
        if response.status_code == 403:
            assert response.json() == {"detail": "Your role does not allow it."}
    assert list(zip(CALLS, got, strict=True)) == list(zip(CALLS, EXPECTED[role], strict=True))


@pytest.mark.parametrize(("method", "path", "body"), person_calls(ALEX))
async def test_another_coach_s_person_is_exactly_like_nobody(
    api: ApiWorld, method: str, path: str, body: object
) -> None:
    theirs = await call(api.coach, method, path, body)
    nobody = await call(api.coach, method, path.replace(ALEX, "IOM-9999"), body)
    assert theirs.status_code == nobody.status_code == 404
    assert theirs.json()["detail"] == nobody.json()["detail"].replace("IOM-9999", ALEX)


async def test_another_coach_s_appointment_goal_nudge_and_alert_are_404(
    api: ApiWorld, clock: FixedClock
) -> None:
    appointment = (await api.other_coach.post(f"/people/{ALEX}/appointments", APPOINTMENT)).json()
    goal = (await api.other_coach.post(f"/people/{ALEX}/goals", {"title": "A bus pass"})).json()
    nudge = (
        await api.other_coach.post(f"/people/{ALEX}/nudges", {"text": "Hi", "at": WEDNESDAY})
    ).json()
    alex = world.person(api.waymark, ALEX)
    with committed(api.waymark.uow) as uow:
        alert = alerts.raise_alert(uow.session, clock, alex, "late")
        uow.commit()
    clock.set(datetime(2026, 11, 25, 11, tzinfo=UTC))
    theirs = {
        f"/appointments/{appointment['id']}/cancel": None,
        f"/appointments/{appointment['id']}/outcome": {"outcome": "attended"},
        f"/goals/{goal['id']}/steps": {"text": "Find the form"},
        f"/nudges/{nudge['id']}/stop": None,
        f"/alerts/{alert.id}/acknowledge": None,
    }
    for path, body in theirs.items():
        mine = await api.coach.post(path, body)
        missing = await api.coach.post(path.replace(str(path.split("/")[2]), "99999"), body)
        assert mine.status_code == missing.status_code == 404, path
        assert mine.json()["detail"].split()[:-1] == missing.json()["detail"].split()[:-1]
    moved = await api.coach.patch(f"/appointments/{appointment['id']}", {"starts_at": WEDNESDAY})
    assert moved.status_code == 404
    cancelled = await api.other_coach.get(f"/people/{ALEX}/appointments")
    assert cancelled.json()[0]["status"] == "scheduled"  # nothing changed


async def test_staff_record_outcomes_for_the_people_assigned_to_them_only(
    api: ApiWorld, clock: FixedClock
) -> None:
    sam = (await api.coach.post(f"/people/{SAM}/appointments", APPOINTMENT)).json()
    alex = (await api.other_coach.post(f"/people/{ALEX}/appointments", APPOINTMENT)).json()
    clock.set(datetime(2026, 11, 25, 11, tzinfo=UTC))
    recorded = await api.staff.post(f"/appointments/{sam['id']}/outcome", {"outcome": "attended"})
    assert recorded.status_code == 200
    assert recorded.json()["outcome"] == "attended"
    not_theirs = await api.staff.post(f"/appointments/{alex['id']}/outcome", {"outcome": "missed"})
    assert not_theirs.status_code == 404
    assert (await api.staff.post(f"/appointments/{sam['id']}/cancel")).status_code == 403
    assert (await api.staff.get(f"/people/{ALEX}")).status_code == 404
    assert [p["ref"] for p in (await api.staff.get("/people")).json()] == [SAM]


async def test_staff_see_a_person_without_the_coaching(api: ApiWorld) -> None:
    as_staff = (await api.staff.get(f"/people/{SAM}")).json()
    as_coach = (await api.coach.get(f"/people/{SAM}")).json()
    assert as_staff["preferences"] is None
    assert as_coach["preferences"]["format"] == "words"
    assert {k: v for k, v in as_coach.items() if k != "preferences"} == {
        k: v for k, v in as_staff.items() if k != "preferences"
    }


async def test_a_role_without_the_permission_is_403_whether_or_not_the_person_exists(
    api: ApiWorld,
) -> None:
    for ref in (SAM, ALEX, "IOM-9999"):
        response = await api.staff.get(f"/people/{ref}/goals")
        assert response.status_code == 403, ref
    refused = await api.manager.post("/appointments/99999/outcome", {"outcome": "attended"})
    assert refused.status_code == 403
