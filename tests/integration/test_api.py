"""The JSON API under /api/v1: tokens, a case-management system feeding appointments in,
field-named refusals, the audit trail, and nothing half saved."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.composition import Waymark
from bot.models import Account, Appointment, OutboxMessage, Role
from bot.services import accounts
from bot.storage import committed
from tests.support import world
from tests.support.api import (
    SAM,
    ApiWorld,
    audit_entries,
    fields,
    pending_reminders,
)
from tests.support.fakes import FixedClock
from tests.support.web import PASSWORD, ROLE_EMAILS, Site

WEDNESDAY = "2026-11-25T10:00:00Z"  # the clock stands at Monday 23 November 2026, 12:00 UTC
PLACE = "Camberwell Office, 45 Camberwell Road"


def appointment(**changes: object) -> dict[str, object]:
    return {
        "starts_at": WEDNESDAY,
        "place": PLACE,
        "with_whom": "Jo",
        "kind": "probation",
    } | changes


# -- who may call ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [None, "Basic Y29hY2g6cGFzcw==", "Bearer", "Bearer wmk_not-a-real-token", "Bearer x" * 40],
)
async def test_a_call_without_a_live_token_is_401(api: ApiWorld, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = await api.nobody.client.get("people", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]


async def test_a_revoked_token_is_401_at_once(api: ApiWorld) -> None:
    assert (await api.coach.get("/me")).status_code == 200
    with committed(api.waymark.uow) as uow:
        coach = uow.session.exec(select(Account).where(Account.email == world.COACH_EMAIL)).one()
        assert coach.id is not None
        (token,) = accounts.tokens_of(uow.session, coach.id)
        assert token.id is not None
        accounts.revoke_token(uow, api.waymark.clock, token.id, coach.id)
    assert (await api.coach.get("/me")).status_code == 401


async def test_a_closed_account_s_token_is_401(api: ApiWorld) -> None:
    with committed(api.waymark.uow) as uow:
        coach = uow.session.exec(select(Account).where(Account.email == world.COACH_EMAIL)).one()
        assert coach.id is not None
        accounts.update_account(uow, coach.id, active=False)
    assert (await api.coach.get("/people")).status_code == 401


async def test_me_says_whose_token_it_is_and_what_the_role_allows(api: ApiWorld) -> None:
    me = (await api.staff.get("/me")).json()
    assert me["email"] == ROLE_EMAILS[Role.STAFF]
    assert me["role"] == "staff"
    assert me["permissions"] == ["caseload", "outcomes", "reports", "summary"]


async def test_a_dashboard_session_cannot_act_through_the_api(
    api: ApiWorld, site_waymark: Waymark
) -> None:
    with committed(site_waymark.uow) as uow:
        coach = uow.session.exec(select(Account).where(Account.email == world.COACH_EMAIL)).one()
        assert coach.id is not None
        accounts.set_password(uow, coach.id, PASSWORD)
    site = Site(api.transport.app)  # type: ignore[arg-type] # the same ASGI app
    async with site:
        await site.login_as(Role.COACH)
        assert "waymark_session" in site.client.cookies
        body = {"ref": "IOM-0099", "preferred_name": "Kim", "borough": "Lambeth"}
        plain = await site.client.post("/api/v1/people", json=body)
        with_csrf = await site.client.post(
            "/api/v1/people", json=body, headers={"x-csrftoken": site.csrf}
        )
        read = await site.client.get("/api/v1/people")
    # A cookie without a Bearer token is no API call: the CSRF check refuses it first
    # (web/csrf.py); with the CSRF token it reaches the API, which reads no cookie.
    assert [plain.status_code, with_csrf.status_code, read.status_code] == [403, 401, 401]
    assert (await api.coach.get("/people/IOM-0099")).status_code == 404


# -- a case-management feed -----------------------------------------------------------------


async def test_a_case_management_system_feeds_a_person_and_their_appointments(
    api: ApiWorld, clock: FixedClock
) -> None:
    created = await api.coach.post(
        "/people",
        {"ref": " iom-0042 ", "preferred_name": "Kim", "borough": "southwark", "leads": "1d,60m"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["ref"] == "IOM-0042"
    assert created.json()["borough"] == "Southwark"
    assert created.json()["preferences"]["leads"] == "1d,60m"

    invite = await api.coach.post("/people/iom-0042/invites")
    assert invite.status_code == 201
    assert invite.headers["cache-control"] == "no-store"
    code = invite.json()["code"]
    assert invite.json()["telegram_link"] is None  # this Waymark runs without Telegram
    assert invite.json()["web_chat_link"].endswith(f"/chat/join?code={code}")

    first = await api.coach.post("/people/IOM-0042/appointments", appointment())
    second = await api.coach.post(
        "/people/IOM-0042/appointments", appointment(starts_at="2026-11-27T14:30:00+00:00")
    )
    assert first.status_code == second.status_code == 201, first.text
    first_id, second_id = first.json()["id"], second.json()["id"]
    assert first.json()["starts_at"] == "2026-11-25T10:00:00Z"
    assert [r.slot for r in pending_reminders(api.waymark, first_id)] == ["lead-1d", "lead-60m"]

    moved = await api.coach.patch(f"/appointments/{first_id}", {"starts_at": "2026-11-26T11:00Z"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["starts_at"] == "2026-11-26T11:00:00Z"
    due = [r.due_at for r in pending_reminders(api.waymark, first_id)]
    assert due == [datetime(2026, 11, 25, 11, tzinfo=UTC), datetime(2026, 11, 26, 10, tzinfo=UTC)]

    cancelled = await api.coach.post(f"/appointments/{second_id}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert pending_reminders(api.waymark, second_id) == []
    again = await api.coach.post(f"/appointments/{second_id}/cancel")
    assert again.status_code == 200

    too_soon = await api.coach.post(f"/appointments/{first_id}/outcome", {"outcome": "missed"})
    assert too_soon.status_code == 409
    assert "has not started yet" in too_soon.json()["detail"]
    clock.set(datetime(2026, 11, 26, 13, tzinfo=UTC))
    missed = await api.coach.post(f"/appointments/{first_id}/outcome", {"outcome": "missed"})
    assert missed.json()["outcome"] == "missed"
    with committed(api.waymark.uow) as uow:
        followups = uow.session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "missed_followup")
        ).all()
    assert [f.appointment_id for f in followups] == [first_id]

    listed = (await api.coach.get("/people/IOM-0042/appointments")).json()
    assert [(a["id"], a["status"], a["outcome"]) for a in listed] == [
        (first_id, "scheduled", "missed"),
        (second_id, "cancelled", None),
    ]


async def test_a_time_with_an_offset_is_stored_as_utc(api: ApiWorld) -> None:
    summer = await api.coach.post(
        f"/people/{SAM}/appointments", appointment(starts_at="2027-06-02T10:00:00+01:00")
    )
    assert summer.json()["starts_at"] == "2027-06-02T09:00:00Z"
    with committed(api.waymark.uow) as uow:
        stored = uow.session.get(Appointment, summer.json()["id"])
    assert stored is not None
    assert stored.starts_at == datetime(2027, 6, 2, 9, tzinfo=UTC)


async def test_how_to_get_there_is_kept_both_coordinates_or_neither(api: ApiWorld) -> None:
    how = {"travel_note": "Bus 36 to Camberwell Green", "latitude": 51.4741, "longitude": -0.0931}
    added = await api.coach.post(f"/people/{SAM}/appointments", appointment(**how))
    assert added.status_code == 201, added.text
    assert {key: added.json()[key] for key in how} == how
    half = await api.coach.post(f"/people/{SAM}/appointments", appointment(latitude=51.4741))
    assert half.status_code == 422
    assert "both the latitude and the longitude" in half.text


async def test_a_reference_with_a_slash_is_reached_encoded_or_not(api: ApiWorld) -> None:
    body = {"ref": "IOM/2026/7", "preferred_name": "Jay", "borough": "Hackney"}
    assert (await api.coach.post("/people", body)).status_code == 201
    assert (await api.coach.get("/people/iom%2F2026%2F7")).json()["ref"] == "IOM/2026/7"
    added = await api.coach.post("/people/IOM/2026/7/appointments", appointment())
    assert added.json()["person_ref"] == "IOM/2026/7"


async def test_a_reference_in_use_is_a_conflict(api: ApiWorld) -> None:
    body = {"ref": SAM, "preferred_name": "Sam", "borough": "Southwark"}
    response = await api.coach.post("/people", body)
    assert response.status_code == 409
    assert "exists already" in response.json()["detail"]


# -- refusals name the field ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (appointment(starts_at="2026-11-25T10:00:00"), "starts_at", "has no UTC offset"),
        (appointment(starts_at="2026-11-25"), "starts_at", "has no UTC offset"),
        (appointment(starts_at="next Tuesday"), "starts_at", "is not a time in ISO 8601"),
        (appointment(starts_at=1795000000), "starts_at", "a time is text in ISO 8601"),
        (appointment(starts_at="2026-11-20T10:00:00Z"), "starts_at", "in the past"),
        (appointment(kind="dentist"), "kind", "'probation'"),
        (appointment(colour="red"), "colour", "Extra inputs are not permitted"),
        (appointment(place="x" * 201), "place", "at most 200 characters"),
        (appointment(place="   "), "place", "at least 1 character"),
        (appointment(leads="soon"), "leads", "is not a lead time"),
        (appointment(latitude=91, longitude=0), "latitude", "less than or equal to 90"),
        (appointment(latitude=51.5, longitude="west"), "longitude", "valid number"),
        (appointment(travel_note="x" * 201), "travel_note", "at most 200 characters"),
        ({"place": PLACE, "with_whom": "Jo"}, "starts_at", "Field required"),
        ([appointment()], "body", "valid dictionary"),
    ],
)
async def test_a_bad_appointment_is_refused_naming_its_field(
    api: ApiWorld, body: object, field: str, words: str
) -> None:
    response = await api.coach.post(f"/people/{SAM}/appointments", body)
    problems = fields(response)
    assert field in problems, problems
    assert words in problems[field]
    with committed(api.waymark.uow) as uow:
        assert uow.session.exec(select(Appointment)).all() == []


async def test_a_body_that_is_not_json_is_refused(api: ApiWorld) -> None:
    response = await api.coach.client.post(
        f"people/{SAM}/appointments",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert fields(response) == {"body": "The body is not valid JSON."}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ref": "IOM 0042", "preferred_name": "Kim", "borough": "Southwark"}, "ref"),
        ({"ref": "X" * 41, "preferred_name": "Kim", "borough": "Southwark"}, "ref"),
        ({"ref": "IOM-0042", "preferred_name": "K" * 61, "borough": "Southwark"}, "preferred_name"),
        ({"ref": "IOM-0042", "preferred_name": "Kim", "borough": "Gotham"}, "borough"),
        ({"ref": "IOM-0042", "preferred_name": "Kim", "borough": "Camden", "coach": 3}, "coach"),
    ],
)
async def test_a_bad_person_is_refused_naming_its_field(
    api: ApiWorld, body: dict[str, object], field: str
) -> None:
    assert field in fields(await api.coach.post("/people", body))


async def test_a_move_to_the_past_or_of_a_cancelled_appointment_is_refused(
    api: ApiWorld,
) -> None:
    added = (await api.coach.post(f"/people/{SAM}/appointments", appointment())).json()
    past = await api.coach.patch(f"/appointments/{added['id']}", {"starts_at": "2026-11-01T09:00Z"})
    assert fields(past) == {"starts_at": "that time is in the past"}
    extra = await api.coach.patch(f"/appointments/{added['id']}", {"place": "Elsewhere"})
    assert set(fields(extra)) == {"starts_at", "place"}
    await api.coach.post(f"/appointments/{added['id']}/cancel")
    late = await api.coach.patch(f"/appointments/{added['id']}", {"starts_at": WEDNESDAY})
    assert late.status_code == 409
    assert "cancelled" in late.json()["detail"]


async def test_an_id_that_is_not_a_number_names_it(api: ApiWorld) -> None:
    response = await api.coach.post("/appointments/first/cancel")
    assert "appointment_id" in fields(response)


# -- audit, and nothing half saved ----------------------------------------------------------


async def test_every_change_is_audited_via_the_api_and_a_refusal_leaves_nothing(
    api: ApiWorld,
) -> None:
    refused = await api.coach.post(f"/people/{SAM}/appointments", appointment(kind="dentist"))
    assert refused.status_code == 422
    assert audit_entries(api.waymark) == []

    added = (await api.coach.post(f"/people/{SAM}/appointments", appointment())).json()
    await api.coach.patch(f"/appointments/{added['id']}", {"starts_at": "2026-11-26T10:00Z"})
    await api.coach.post(f"/appointments/{added['id']}/cancel")
    await api.coach.get(f"/people/{SAM}/appointments")
    sam = world.person(api.waymark, SAM)
    entries = [(e.action, e.subject, e.person_id, e.via) for e in audit_entries(api.waymark)]
    assert entries == [
        ("change", "new appointment", sam.id, "api"),
        ("change", f"appointment {added['id']}: move", sam.id, "api"),
        ("change", f"appointment {added['id']}: cancel", sam.id, "api"),
        ("view", "appointments", sam.id, "api"),
    ]


async def test_an_oversized_body_is_refused_before_it_is_read(api: ApiWorld) -> None:
    big = appointment(place="x" * 1_100_000)
    response = await api.coach.post(f"/people/{SAM}/appointments", big)
    assert response.status_code == 413
    with committed(api.waymark.uow) as uow:
        assert uow.session.exec(select(Appointment)).all() == []
