"""The JSON API as a case-management system or a script uses it: httpx over ASGI against
the whole web app, one client per account, each with its own bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from sqlmodel import col, select

from bot.composition import Waymark
from bot.models import Account, AuditEntry, OutboxMessage, OutboxStatus, Role
from bot.services import accounts
from bot.storage import committed
from tests.support import world
from tests.support.web import ROLE_EMAILS
from web.app import create_app

BASE = "http://waymark.test/api/v1/"
OTHER_COACH = "other@waymark.test"
SAM, ALEX = "IOM-0001", "IOM-0002"  # Sam is Priya's (the coach's); Alex is the other coach's


class Api:
    """One account's client; `None` as the token sends no Authorization header."""

    def __init__(self, transport: httpx.ASGITransport, token: str | None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers)

    async def get(self, path: str, **params: str) -> httpx.Response:
        return await self.client.get(path.lstrip("/"), params=params)

    async def post(self, path: str, body: Any = None) -> httpx.Response:
        return await self.client.post(path.lstrip("/"), json=body)

    async def patch(self, path: str, body: Any) -> httpx.Response:
        return await self.client.patch(path.lstrip("/"), json=body)


@dataclass
class ApiWorld:
    """Every role's client, a second coach, Sam (the coach's, assigned to the staff member)
    and Alex (the other coach's)."""

    waymark: Waymark
    transport: httpx.ASGITransport
    coach: Api
    other_coach: Api
    staff: Api
    manager: Api
    admin: Api
    nobody: Api
    tokens: dict[str, str]

    def client(self, token: str | None) -> Api:
        return Api(self.transport, token)

    async def close(self) -> None:
        for api in (self.coach, self.other_coach, self.staff, self.manager, self.admin):
            await api.client.aclose()
        await self.nobody.client.aclose()


def token_for(app: Waymark, email: str, name: str = "case management") -> str:
    with committed(app.uow) as uow:
        account = uow.session.exec(select(Account).where(Account.email == email)).one()
        assert account.id is not None
        return accounts.create_token(uow, app.clock, account.id, name).token


def build_world(app: Waymark) -> ApiWorld:
    for role, email in ROLE_EMAILS.items():  # no passwords: tokens only, and no slow hashing
        world.add_coach(app, email, role.value.title(), role=role)
    world.add_coach(app, OTHER_COACH, "Dee")
    sam = world.add_person(app, SAM, "Sam")
    world.add_person(app, ALEX, "Alex", coach=OTHER_COACH)
    with committed(app.uow) as uow:
        staff = uow.session.exec(select(Account).where(Account.role == Role.STAFF)).one()
        assert staff.id is not None
        assert sam.id is not None
        accounts.assign(uow, app.clock, staff.id, sam.id)
    emails = {role.value: email for role, email in ROLE_EMAILS.items()} | {"other": OTHER_COACH}
    tokens = {name: token_for(app, email) for name, email in emails.items()}
    transport = httpx.ASGITransport(app=create_app(app))
    return ApiWorld(
        app,
        transport,
        coach=Api(transport, tokens["coach"]),
        other_coach=Api(transport, tokens["other"]),
        staff=Api(transport, tokens["staff"]),
        manager=Api(transport, tokens["manager"]),
        admin=Api(transport, tokens["admin"]),
        nobody=Api(transport, None),
        tokens=tokens,
    )


def audit_entries(app: Waymark, via: str = "api") -> list[AuditEntry]:
    with committed(app.uow) as uow:
        query = select(AuditEntry).where(AuditEntry.via == via).order_by(col(AuditEntry.id))
        return list(uow.session.exec(query).all())


def pending_reminders(app: Waymark, appointment_id: int) -> list[OutboxMessage]:
    with committed(app.uow) as uow:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.appointment_id == appointment_id)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .order_by(col(OutboxMessage.due_at))
        )
        return list(uow.session.exec(query).all())


def fields(response: httpx.Response) -> dict[str, str]:
    """A 422's problems, field -> message."""
    assert response.status_code == 422, response.text
    return {problem["field"]: problem["message"] for problem in response.json()["detail"]}
