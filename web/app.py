"""The web app: a factory, so nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI

from bot.composition import Waymark
from web import health, webhook


def create_app(waymark: Waymark) -> FastAPI:
    # No interactive docs: nothing here is for browsing, and less surface is better.
    app = FastAPI(title="Waymark", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.waymark = waymark
    app.include_router(health.router)
    app.include_router(webhook.router)
    return app
