"""The dashboard as a browser without a screen uses it: httpx over ASGI, with cookies,
the CSRF token taken from the cookie the site set, and logins as each role."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from bot.composition import Waymark
from bot.models import Role
from tests.support import second_factor, world

PASSWORD = "correct horse battery"
ROLE_EMAILS = {
    Role.COACH: world.COACH_EMAIL,
    Role.STAFF: "staff@waymark.test",
    Role.MANAGER: "manager@waymark.test",
    Role.ADMIN: "admin@waymark.test",
}


def add_accounts(app: Waymark) -> None:
    """One account of each role, all with PASSWORD; the admin and the manager (who must)
    with the second factor on (tests/support/second_factor.py's authenticator)."""
    for role, email in ROLE_EMAILS.items():
        world.add_coach(app, email, role.value.title(), role=role, password=PASSWORD)
        if role in second_factor.ASKED:
            second_factor.switch_on(app, email)


class Site:
    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://waymark.test"
        )

    async def __aenter__(self) -> Site:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.client.aclose()

    @property
    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken") or ""

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.client.get(path, **kwargs)

    async def post(self, path: str, data: dict[str, str] | None = None) -> httpx.Response:
        """A form as the page sends it: with the CSRF token (fetched first if needed)."""
        if not self.csrf:
            await self.client.get("/login")
        return await self.client.post(path, data={"csrftoken": self.csrf, **(data or {})})

    async def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        """Log in; when a code is asked, the tests' authenticator gives it."""
        await self.client.get("/login")
        response = await self.post("/login", {"email": email, "password": password})
        if response.headers.get("location") == "/login/code":
            code = second_factor.fresh_code(self.app.state.site, email)
            response = await self.post("/login/code", {"code": code})
        return response

    async def login_as(self, role: Role) -> None:
        response = await self.login(ROLE_EMAILS[role])
        assert response.status_code == 303, response.text
