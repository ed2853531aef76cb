"""The content editor's pages as tests use them: the edits and the audit entries saved,
and the live preview asked for as the page's script asks."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.models import AuditEntry, ContentEdit
from tests.support.web import Site

# The evening reminder's words, changed: "meet" for "see", and "there".
EDITED = "{name}, tomorrow: {date}, {time}, {place}. You will meet {with} there."


def edits(engine: Engine) -> list[ContentEdit]:
    with Session(engine) as session:
        return list(session.exec(select(ContentEdit)).all())


def content_audit(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as session:
        query = select(AuditEntry).where(col(AuditEntry.subject).startswith("content "))
        return list(session.exec(query).all())


async def live_preview(site: Site, key: str, **fields: str) -> httpx.Response:
    """As the page's script asks: the form's fields, the token in the x-csrftoken header."""
    headers = {"x-csrftoken": site.csrf, "accept": "application/json"}
    return await site.client.post(f"/content/{key}/preview", data=fields, headers=headers)


def codes(view: dict[str, Any], field: str) -> set[str]:
    return {f["code"] for f in view["findings"] if f["field"] == field}
