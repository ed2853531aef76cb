"""The audit trail, for admins: newest first, filtered by account or by case reference,
a page at a time, in London time; and the filtered trail as CSV (an export that is itself
written to the trail)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, StreamingResponse

from bot.domain.errors import NotFound
from bot.domain.localtime import local
from bot.services import audit, people
from bot.services.access import Can, need
from bot.services.audit import AuditLine
from bot.storage import UnitOfWork, UnitOfWorkFactory
from web.auth import CurrentAccount
from web.deps import ClockDep, UowDep, UowFactoryDep
from web.templating import page

router = APIRouter()

PAGE = 50
CSV_BATCH = 500
CSV_COLUMNS = ("id", "time_london", "account", "action", "subject", "case_reference", "via")
VIA = {"web": "Dashboard", "api": "API", "cli": "Command line", "job": "Retention job"}
# What each action means, in words; an action not named here is shown as it is stored.
ACTIONS = {
    "login": "Logged in",
    "view": "Viewed",
    "change": "Changed",
    "export": "Exported",
    "account-add": "Added an account",
    "role": "Changed the role of",
    "deactivate": "Deactivated",
    "reactivate": "Reactivated",
    "password": "Set the password of",
    "logout-all": "Logged out everywhere",
    "assign": "Assigned a person to",
    "unassign": "Removed a person from",
    "token-add": "Created an API token",
    "token-revoke": "Revoked an API token",
    "export-request": "Asked for the subject access export of",
    "close": "Closed the case of",
    "reopen": "Reopened the case of",
    "erase": "Erased a record",
    "pseudonymise": "Pseudonymised the closed case of",
}


@dataclass(frozen=True)
class Filters:
    email: str
    ref: str
    account_id: int | None


@dataclass(frozen=True)
class Row:
    line: AuditLine
    time: str
    what: str
    via: str


def _time(line: AuditLine) -> str:
    here = local(line.at)
    return f"{here:%a} {here.day} {here:%b %Y}, {here:%H:%M:%S}"


def _row(line: AuditLine) -> Row:
    what = ACTIONS.get(line.action, line.action)
    return Row(line, _time(line), what, VIA.get(line.via, line.via))


def _filters(uow: UnitOfWork, email: str, ref: str) -> tuple[Filters, dict[str, str]]:
    errors: dict[str, str] = {}
    account_id = None
    if email.strip():
        try:
            account_id = people.coach_by_email(uow.session, email).id
        except NotFound:
            errors["email"] = "No account has this email address"
    if ref.strip():
        try:
            people.person_by_ref(uow.session, ref)
        except NotFound:
            errors["ref"] = "No person has this case reference"
    return Filters(email.strip(), ref.strip().upper(), account_id), errors


def _query(filters: Filters) -> str:
    return urlencode({k: v for k, v in (("email", filters.email), ("ref", filters.ref)) if v})


def _page(
    request: Request,
    filters: Filters,
    errors: dict[str, str],
    lines: list[AuditLine],
    before: int | None,
) -> HTMLResponse:
    context = {
        "rows": [_row(line) for line in lines[:PAGE]],
        "older": lines[PAGE - 1].id if len(lines) > PAGE else None,
        "paged": before is not None,
        "filters": filters,
        "query": _query(filters),
        "errors": errors,
        "title": "Audit trail",
    }
    return page(request, "admin/audit.html", context, status=422 if errors else 200)


EmailQuery = Annotated[str, Query(max_length=254)]
RefQuery = Annotated[str, Query(max_length=40)]


@router.get("/audit")
def audit_page(
    request: Request,
    uow: UowDep,
    admin: CurrentAccount,
    email: EmailQuery = "",
    ref: RefQuery = "",
    before: Annotated[int | None, Query(ge=1)] = None,
) -> HTMLResponse:
    need(admin, Can.AUDIT)
    filters, errors = _filters(uow, email, ref)
    lines: list[AuditLine] = []
    if not errors:
        lines = audit.entries(
            uow.session,
            account_id=filters.account_id,
            person_ref=filters.ref or None,
            before_id=before,
            limit=PAGE + 1,
        )
    return _page(request, filters, errors, lines, before)


def _safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def _csv_lines(uow_factory: UnitOfWorkFactory, filters: Filters) -> Iterator[str]:
    """The whole filtered trail, a batch at a time, each batch in its own unit of work."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    before: int | None = None
    while True:
        with uow_factory() as uow:
            batch = audit.entries(
                uow.session,
                account_id=filters.account_id,
                person_ref=filters.ref or None,
                before_id=before,
                limit=CSV_BATCH,
            )
        for line in batch:
            when = local(line.at).isoformat(timespec="seconds")
            cells = (line.account or "", line.action, line.subject, line.person_ref or "", line.via)
            writer.writerow([line.id, when, *(_safe(c) for c in cells)])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(batch) < CSV_BATCH:
            return
        before = batch[-1].id


@router.get("/audit.csv", response_model=None)
def audit_csv(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    uow_factory: UowFactoryDep,
    admin: CurrentAccount,
    email: EmailQuery = "",
    ref: RefQuery = "",
) -> HTMLResponse | StreamingResponse:
    need(admin, Can.AUDIT)
    filters, errors = _filters(uow, email, ref)
    if errors:
        return _page(request, filters, errors, [], None)
    audit.record(uow.session, clock, admin.id, "export", "audit")
    return StreamingResponse(
        _csv_lines(uow_factory, filters),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="waymark-audit.csv"',
            "Cache-Control": "no-store",
        },
    )
