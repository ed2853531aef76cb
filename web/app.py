"""The web app: a factory, so nothing is built at import time.

Around the routes, from the outside in: the security headers on every answer
(web/security_headers.py), a body size limit (413), CSRF protection on every form and
fetch (web/csrf.py: a signed double-submit cookie checked against the form's `csrftoken`
field or the `x-csrftoken` header; only API calls with a Bearer token and the Telegram
webhook are exempt), then the signed session cookie. docs/security.md says why.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from bot.domain.roles import BOT, WEB
from web import chat, errors, health, webhook
from web.api import create_api
from web.csrf import CsrfProtect
from web.deps import Site
from web.limits import BodyLimit
from web.pages import (
    about_me,
    account,
    admin,
    alerts,
    appointments,
    audit,
    content,
    content_media,
    login,
    login_code,
    pairing,
    people,
    person_data,
    plans,
    reports,
    retention,
    tokens,
    webchat_view,
)
from web.security_headers import SecurityHeaders
from web.templating import build_templates

STATIC = Path(__file__).parent / "static"
# Every router of the site, in one place (the role matrix test walks them all).
ROUTERS = (
    health.router,
    webhook.router,
    chat.router,
    login.router,
    login_code.router,  # the second factor's step of a login
    account.router,  # your own password and second factor
    people.router,
    appointments.router,
    plans.router,
    alerts.router,
    admin.router,
    audit.router,
    tokens.router,
    reports.router,
    content.router,
    content_media.router,  # the editor's picture card and voice note
    person_data.router,  # subject access, erasure, closing a case
    about_me.router,  # the About me (communication passport) and consent history
    pairing.router,  # six digits to read out
    webchat_view.router,  # a coach's read-only view of a person's web chat
    retention.router,
)


def create_app(waymark: Site) -> FastAPI:
    # No interactive docs; the API's OpenAPI document is served by the API itself.
    app = FastAPI(title="Waymark", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.site = waymark
    app.state.templates = build_templates()
    web = waymark.settings.web
    secret = web.secret_key.get_secret_value() or secrets.token_urlsafe(32)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie="waymark_session",
        max_age=web.session_hours * 3600,
        same_site="lax",
        https_only=web.secure_cookies,
    )
    app.add_middleware(CsrfProtect, secret=secret, secure=web.secure_cookies)
    app.add_middleware(BodyLimit, max_bytes=web.max_body_bytes)
    app.add_middleware(SecurityHeaders, hsts=web.secure_cookies)  # outermost: on every answer
    errors.install(app)
    if WEB in waymark.roles:
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
        app.mount("/api/v1", create_api(waymark))
    for router in ROUTERS:
        if _serves(router, waymark.roles):
            app.include_router(router)
    return app


def _serves(router: APIRouter, roles: frozenset[str]) -> bool:
    """Every worker answers /healthz; the webhook is the bot's; the rest is web's."""
    if router is health.router:
        return True
    if router is webhook.router:
        return BOT in roles
    return WEB in roles
