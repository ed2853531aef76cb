"""Every route of the dashboard and the API against every role, and against nobody.

The table below is written by hand from the issue's roles, not read from bot/services/access.py,
so a route that checks the wrong permission (or none) fails here. A route missing from
the table fails too: a new route must say who may use it.

"Allowed" means the role got past the access checks: any answer but a login redirect,
401, 403 or 404 (an empty form may well be a 422). A role that may not use a route gets
403; nobody gets the login page (or 401 from the API). A coach or IOM staff member asking
for someone else's person, appointment, goal, nudge, need or alert gets 404, exactly as
if it did not exist.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute

from bot.composition import Waymark
from bot.domain.actor import Actor
from bot.models import Role, WebchatFile, WebchatMessage
from bot.services import accounts, alerts, needs, nudges, plans
from bot.services import webchat as webchat_service
from bot.storage import committed
from tests.support import world
from tests.support.caseloads import ALEX, SAM, account_id, person_id, two_caseloads
from tests.support.web import ROLE_EMAILS, Site
from web.api.app import ROUTERS as API_ROUTERS
from web.app import ROUTERS, create_app

C, S, M, A = Role.COACH, Role.STAFF, Role.MANAGER, Role.ADMIN
EVERYONE = frozenset(Role)
PUBLIC = "public"  # no account at all: the chat (its id is the key), login, health, webhook

SITE: dict[tuple[str, str], frozenset[Role] | str] = {
    ("GET", "/healthz"): PUBLIC,
    ("POST", "/telegram/webhook"): PUBLIC,
    ("GET", "/chat/join"): PUBLIC,
    ("POST", "/chat/join"): PUBLIC,
    ("GET", "/chat/{chat_id}"): PUBLIC,
    ("GET", "/chat/{chat_id}/messages"): PUBLIC,
    ("GET", "/chat/{chat_id}/events"): PUBLIC,
    ("POST", "/chat/{chat_id}/say"): PUBLIC,
    ("POST", "/chat/{chat_id}/press"): PUBLIC,
    ("GET", "/chat/{chat_id}/files/{sha256}"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    ("GET", "/login/code"): PUBLIC,  # the second factor's step: only after the right password
    ("POST", "/login/code"): PUBLIC,
    ("GET", "/"): EVERYONE,
    ("GET", "/people"): frozenset({C, S}),
    ("POST", "/people"): frozenset({C}),
    ("GET", "/people/{ref}"): frozenset({C, S}),
    ("POST", "/people/{ref}/preferences"): frozenset({C}),
    ("POST", "/people/{ref}/needs"): frozenset({C}),
    ("POST", "/people/{ref}/needs/{need_id}/remove"): frozenset({C}),
    ("POST", "/people/{ref}/invite"): frozenset({C}),
    ("POST", "/people/{ref}/pairing-code"): frozenset({C}),
    ("GET", "/people/{ref}/chat"): frozenset({C}),
    ("GET", "/people/{ref}/chat/files/{sha256}"): frozenset({C}),
    ("POST", "/people/{ref}/appointments"): frozenset({C}),
    ("GET", "/people/{ref}/appointments/{appointment_id}"): frozenset({C, S}),
    ("POST", "/people/{ref}/appointments/{appointment_id}/move"): frozenset({C}),
    ("POST", "/people/{ref}/appointments/{appointment_id}/cancel"): frozenset({C}),
    ("POST", "/people/{ref}/appointments/{appointment_id}/outcome"): frozenset({C, S}),
    ("POST", "/people/{ref}/goals"): frozenset({C}),
    ("POST", "/people/{ref}/goals/{goal_id}/steps"): frozenset({C}),
    ("POST", "/people/{ref}/goals/{goal_id}/checkins"): frozenset({C}),
    ("POST", "/people/{ref}/nudges"): frozenset({C}),
    ("POST", "/people/{ref}/nudges/{nudge_id}/stop"): frozenset({C}),
    ("POST", "/people/{ref}/mood"): frozenset({C}),
    ("GET", "/alerts"): frozenset({C}),
    ("POST", "/alerts/{alert_id}/acknowledge"): frozenset({C}),
    ("GET", "/content"): frozenset({C, M}),
    ("GET", "/content/{key}"): frozenset({C, M}),
    ("POST", "/content/{key}"): frozenset({C, M}),
    ("POST", "/content/{key}/preview"): frozenset({C, M}),
    ("POST", "/content/{key}/revert"): frozenset({C, M}),
    ("GET", "/content/{key}/card.png"): frozenset({C, M}),
    ("GET", "/content/{key}/voice.ogg"): frozenset({C, M}),
    ("GET", "/accounts"): frozenset({A}),
    ("POST", "/accounts"): frozenset({A}),
    ("GET", "/accounts/{account_id}"): frozenset({A}),
    ("POST", "/accounts/{account_id}/role"): frozenset({A}),
    ("POST", "/accounts/{account_id}/active"): frozenset({A}),
    ("POST", "/accounts/{account_id}/password"): frozenset({A}),
    ("POST", "/accounts/{account_id}/logout"): frozenset({A}),
    ("POST", "/accounts/{account_id}/people"): frozenset({A}),
    ("POST", "/accounts/{account_id}/people/{person_id}/remove"): frozenset({A}),
    ("POST", "/accounts/{account_id}/tokens/{token_id}/revoke"): frozenset({A}),
    ("GET", "/audit"): frozenset({A}),
    ("GET", "/audit.csv"): frozenset({A}),
    ("GET", "/account/tokens"): EVERYONE,
    ("POST", "/account/tokens"): EVERYONE,
    ("POST", "/account/tokens/{token_id}/revoke"): EVERYONE,
    ("GET", "/account/password"): EVERYONE,
    ("POST", "/account/password"): EVERYONE,
    ("GET", "/account/second-factor"): EVERYONE,
    ("POST", "/account/second-factor"): EVERYONE,
    ("GET", "/reports"): frozenset({C, S, M}),
    ("GET", "/reports/export"): frozenset({M}),
    ("GET", "/reports/export.csv"): frozenset({M}),
    ("GET", "/reports/{name}.csv"): frozenset({C, S, M}),
    ("GET", "/reports/{name}"): frozenset({C, S, M}),
    ("GET", "/records"): frozenset({A}),
    ("GET", "/records/{ref}"): frozenset({A}),
    ("POST", "/records/{ref}/export"): frozenset({A}),
    ("GET", "/records/{ref}/erase"): frozenset({A}),
    ("POST", "/records/{ref}/erase"): frozenset({A}),
    ("POST", "/records/{ref}/erase/confirm"): frozenset({A}),
    ("GET", "/retention"): frozenset({A}),
    # The About me: coach always; IOM staff get the page, which shows it only when shared.
    ("GET", "/people/{ref}/about-me"): frozenset({C, S}),
    ("POST", "/people/{ref}/about-me"): frozenset({C}),
    ("POST", "/people/{ref}/consent"): frozenset({C}),
    ("POST", "/people/{ref}/export-request"): frozenset({C}),
    ("POST", "/people/{ref}/close"): frozenset({C}),  # last: closed, then reopened
    ("POST", "/people/{ref}/reopen"): frozenset({C}),
}

API: dict[tuple[str, str], frozenset[Role]] = {
    ("GET", "/me"): EVERYONE,
    ("GET", "/people/{ref:path}/appointments"): frozenset({C, S}),
    ("POST", "/people/{ref:path}/appointments"): frozenset({C}),
    ("PATCH", "/appointments/{appointment_id}"): frozenset({C}),
    ("POST", "/appointments/{appointment_id}/cancel"): frozenset({C}),
    ("POST", "/appointments/{appointment_id}/outcome"): frozenset({C, S}),
    ("GET", "/people/{ref:path}/goals"): frozenset({C}),
    ("POST", "/people/{ref:path}/goals"): frozenset({C}),
    ("POST", "/goals/{goal_id}/steps"): frozenset({C}),
    ("GET", "/people/{ref:path}/nudges"): frozenset({C}),
    ("POST", "/people/{ref:path}/nudges"): frozenset({C}),
    ("POST", "/nudges/{nudge_id}/stop"): frozenset({C}),
    ("POST", "/people/{ref:path}/invites"): frozenset({C}),
    ("POST", "/people/{ref:path}/pairing-codes"): frozenset({C}),
    ("GET", "/people"): frozenset({C, S}),
    ("POST", "/people"): frozenset({C}),
    ("GET", "/people/{ref:path}"): frozenset({C, S}),
    ("PATCH", "/people/{ref:path}"): frozenset({C}),
    ("GET", "/content"): frozenset({C, M}),
    ("GET", "/content/{key}"): frozenset({C, M}),
    ("PATCH", "/content/{key}"): frozenset({C, M}),
    ("GET", "/alerts"): frozenset({C}),
    ("POST", "/alerts/{alert_id}/acknowledge"): frozenset({C}),
    ("GET", "/reports"): frozenset({C, S, M}),
    ("GET", "/reports/{name}"): frozenset({C, S, M}),
}

# Parameters that name something belonging to one person: for someone else's, 404.
PERSONAL = {"ref", "ref:path", "appointment_id", "goal_id", "nudge_id", "need_id", "alert_id"}


@dataclass
class Things:
    """Ids to put in paths: of Sam (the coach's, assigned to staff) and of Alex (the
    other coach's)."""

    own: dict[str, str]
    others: dict[str, str]
    tokens: dict[Role, str]  # each role's own token id
    bearer: dict[Role, str]  # each role's own API token
    target_token: str  # a token of the account the admin pages change

    def token_for(self, role: Role, template: str) -> str:
        return self.target_token if template.startswith("/accounts/") else self.tokens[role]


def _of_person(app: Waymark, ref: str) -> dict[str, str]:
    pid = person_id(app, ref)
    appointment = world.add_appointment(app, app.clock.now() + timedelta(days=3), ref)
    coach = world.person(app, ref).coach_id
    with committed(app.uow) as uow:
        goal = plans.add_goal(uow, app.clock, ref, "Get to every appointment", "grow")
    with committed(app.uow) as uow:
        nudge = nudges.add(uow, app.clock, ref, text="Pack your bag", every="weekdays 08:30")
    with committed(app.uow) as uow:
        need = needs.record(uow, app.clock, pid, "dyslexia", coach, actor=Actor.cli())
    with committed(app.uow) as uow:
        alert = alerts.raise_alert(uow.session, app.clock, world.person(app, ref), "late")
        uow.commit()
    with committed(app.uow) as uow:
        chat = webchat_service.link_person(uow, app.clock, pid)
    assert chat is not None
    card = _card_in(app, chat.chat_id, ref)
    return {
        "ref": ref,
        "ref:path": ref,
        "appointment_id": str(appointment.id),
        "goal_id": str(goal.id),
        "nudge_id": str(nudge.id),
        "need_id": str(need.id),
        "alert_id": str(alert.id),
        "chat_id": chat.chat_id,
        "person_id": str(pid),
        "sha256": card,
    }


def _card_in(app: Waymark, chat_id: str, ref: str) -> str:
    """A picture card shown in the person's web chat; its hash."""
    data = f"card for {ref}".encode()
    sha256 = hashlib.sha256(data).hexdigest()
    with app.uow() as uow:
        now = app.clock.now()
        uow.session.add(
            WebchatFile(
                sha256=sha256, mime_type="image/png", filename="card.png", data=data, created_at=now
            )
        )
        uow.session.add(
            WebchatMessage(chat_id=chat_id, media_sha256=sha256, media_kind="photo", at=now)
        )
        uow.commit()
    return sha256


def _things(app: Waymark) -> Things:
    two_caseloads(app)
    target = world.add_coach(app, "target@waymark.test", "Tam", role=Role.STAFF)
    own, others = _of_person(app, SAM), _of_person(app, ALEX)
    common = {
        "key": "reminder_evening",
        "name": "attendance-by-month",
        "account_id": str(target.id),
    }
    tokens, bearer = {}, {}
    for role, email in ROLE_EMAILS.items():
        with committed(app.uow) as uow:
            made = accounts.create_token(uow, app.clock, account_id(app, email), "matrix")
        tokens[role], bearer[role] = str(made.id), made.token
    assert target.id is not None
    with committed(app.uow) as uow:
        accounts.assign(uow, app.clock, target.id, person_id(app, SAM))
    with committed(app.uow) as uow:
        target_token = accounts.create_token(uow, app.clock, target.id, "matrix").id
    return Things(own | common, others | common, tokens, bearer, str(target_token))


def _path(template: str, values: dict[str, str], token_id: str) -> str:
    path = template
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path.replace("{token_id}", token_id)


def _passed(response: httpx.Response) -> bool:
    location = response.headers.get("location", "")
    return response.status_code not in (401, 403, 404) and not location.startswith("/login")


def _routes(routers: tuple[APIRouter, ...]) -> set[tuple[str, str]]:
    return {
        (method, route.path)
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    }


def test_every_route_is_in_the_table() -> None:
    site, api = _routes(ROUTERS), _routes(API_ROUTERS)
    assert site == set(SITE), "routes and the role table differ"
    assert api == set(API), "API routes and the role table differ"


def _bodies(app: Waymark) -> dict[tuple[str, str], dict[str, str]]:
    """A valid body for each API call that takes one, so a refusal can only come from the
    access checks (an empty body would be a 422 before any of them)."""
    later = (app.clock.now() + timedelta(days=5)).isoformat()
    return {
        ("POST", "/people/{ref:path}/appointments"): {
            "starts_at": later,
            "place": "Camberwell Office",
            "with_whom": "Jo",
        },
        ("PATCH", "/appointments/{appointment_id}"): {"starts_at": later},
        ("POST", "/appointments/{appointment_id}/outcome"): {"outcome": "attended"},
        ("POST", "/people/{ref:path}/goals"): {"title": "Get to the gym"},
        ("POST", "/goals/{goal_id}/steps"): {"text": "Find the bus times"},
        ("POST", "/people/{ref:path}/nudges"): {"text": "Pack your bag", "every": "weekdays 08:30"},
        ("POST", "/people"): {"ref": "IOM-9999", "preferred_name": "Zed", "borough": "Lambeth"},
        ("PATCH", "/people/{ref:path}"): {"format": "voice"},
        ("PATCH", "/content/{key}"): {"text": "Your appointment is tomorrow."},
    }


async def _ask(
    client: httpx.AsyncClient, method: str, path: str, csrf: str, body: object = None
) -> httpx.Response:
    if method == "GET":
        return await client.get(path)
    if method == "PATCH":
        return await client.patch(path, json=body or {})
    if body is not None:
        return await client.post(path, json=body)
    return await client.post(path, data={"csrftoken": csrf}, headers={"x-csrftoken": csrf})


@pytest.mark.parametrize("role", list(Role))
async def test_each_role_on_every_site_route(site_waymark: Waymark, site: Site, role: Role) -> None:
    things = _things(site_waymark)
    refused = []
    for (method, template), allowed in SITE.items():
        if allowed == PUBLIC or template.startswith("/chat/"):
            continue
        await site.login_as(role)  # again each time: some routes end sessions
        path = _path(template, things.own, things.token_for(role, template))
        response = await _ask(site.client, method, path, site.csrf)
        may = role in allowed
        if _passed(response) != may or (not may and response.status_code != 403):
            refused.append((method, template, response.status_code))
    assert refused == []


@pytest.mark.parametrize("role", [Role.COACH, Role.STAFF])
async def test_someone_elses_things_are_not_found(
    site_waymark: Waymark, site: Site, role: Role
) -> None:
    things = _things(site_waymark)
    wrong = []
    for (method, template), allowed in SITE.items():
        personal = PERSONAL & {p.strip("{}") for p in template.split("/") if p.startswith("{")}
        if allowed == PUBLIC or not personal or role not in allowed:
            continue
        await site.login_as(role)
        path = _path(template, things.others, things.token_for(role, template))
        response = await _ask(site.client, method, path, site.csrf)
        if response.status_code != 404:
            wrong.append((method, template, response.status_code))
    assert wrong == []


async def test_nobody_is_sent_to_log_in(site_waymark: Waymark, site: Site) -> None:
    things = _things(site_waymark)
    await site.client.get("/login")  # a CSRF cookie, so forms reach the route
    let_in = []
    for (method, template), allowed in SITE.items():
        if allowed == PUBLIC:
            continue
        path = _path(template, things.own, things.token_for(Role.COACH, template))
        response = await _ask(site.client, method, path, site.csrf)
        if response.status_code != 303 or not response.headers["location"].startswith("/login"):
            let_in.append((method, template, response.status_code))
    assert let_in == []


@pytest.mark.parametrize("role", [*Role, None])
async def test_each_role_on_every_api_route(
    site_waymark: Waymark, site: Site, role: Role | None
) -> None:
    things = _things(site_waymark)
    bodies = _bodies(site_waymark)
    transport = httpx.ASGITransport(app=create_app(site_waymark))
    headers = {"Authorization": f"Bearer {things.bearer[role]}"} if role else {}
    wrong = []
    async with httpx.AsyncClient(
        transport=transport, base_url="http://waymark.test/api/v1", headers=headers
    ) as client:
        for (method, template), allowed in API.items():
            body = bodies.get((method, template), {} if method != "GET" else None)
            path = _path(template, things.own, "0")
            response = await _ask(client, method, path, "", body)
            if role is None:
                ok = response.status_code == 401
            elif role in allowed:
                ok = _passed(response)
            else:
                ok = response.status_code == 403
            if not ok:
                wrong.append((method, template, response.status_code))
            if role in (Role.COACH, Role.STAFF) and role in allowed:
                personal = PERSONAL & {p.strip("{}") for p in template.split("/")}
                if personal:
                    elsewhere = _path(template, things.others, "0")
                    other = await _ask(client, method, elsewhere, "", body)
                    if other.status_code != 404:
                        wrong.append((method, template + " (someone else's)", other.status_code))
    assert wrong == []
