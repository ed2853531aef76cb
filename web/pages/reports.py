"""Reports: the list, each report as a chart and a table (small numbers hidden) with its
CSV, and for managers the pseudonymised event export behind a page that says what is in
it. Each covers the people the account may count (bot.services.access.scope_of): a manager
everyone, a coach their caseload, IOM staff the people assigned to them. Every view and
every download is written to the audit trail."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from markupsafe import Markup
from starlette.responses import HTMLResponse, Response, StreamingResponse

from bot.domain.clock import Clock
from bot.domain.errors import NotFound
from bot.models import Account
from bot.services import audit, consent_history, reports
from bot.services.access import Can, allows, need, scope_of
from bot.services.reports import SUPPRESSION_NOTE, ColumnKind, Period, Report
from bot.services.reports import Scope as ReportScope
from bot.services.reports.export import EVENT_HEADINGS
from bot.settings import Settings
from bot.storage import UnitOfWork, UnitOfWorkFactory
from web import charts
from web.auth import CurrentAccount
from web.deps import ClockDep, SettingsDep, UowDep, UowFactoryDep
from web.security_headers import csp_nonce
from web.templating import page

router = APIRouter()

MAX_DAYS = 366 * 5
# The list page's words for each report (a test keeps the titles in step with the reports).
SUMMARIES: dict[str, tuple[str, str]] = {
    "attendance-by-month": (
        "Attendance by month",
        "Appointments attended, missed and rescheduled, month by month.",
    ),
    "confirmation-and-reply": (
        "Answering reminders and attendance",
        "Whether people who answer their reminders come to their appointments more often.",
    ),
    "engagement-by-format": (
        "Attendance and replies by message format",
        "Attendance and replies for people who get words, pictures or voice.",
    ),
    "engagement-by-need": (
        "Attendance and replies by category of need",
        "Attendance and replies by the categories of need recorded at screening.",
    ),
    "need-by-borough": (
        "Need by category and borough",
        "How many people have each category of need, borough by borough.",
    ),
    "response-time": (
        "How quickly people answer reminders",
        "Minutes from a reminder to the person's answer, by message format.",
    ),
}


def _report_scope(uow: UnitOfWork, settings: Settings, account: Account) -> tuple[ReportScope, str]:
    """Whom the account's reports count, less those who declined or withdrew (when the
    setting says so), and the words that say how many were left out."""
    people = scope_of(uow.session, account).person_ids
    scope = ReportScope.everyone() if people is None else ReportScope.people(people)
    leave_out = settings.evaluation_leaves_out
    scope, gone = consent_history.evaluation_scope(uow.session, scope, leave_out=leave_out)
    return scope, consent_history.left_out_note(gone)


def _whose(account: Account) -> str:
    """Who the account's reports count, in words (and the role check for every page)."""
    need(account, Can.REPORTS)
    if allows(account, Can.ALL_PEOPLE):
        return "These reports count everyone, in every borough."
    if allows(account, Can.COACHING):
        return "These reports count the people on your caseload only."
    return "These reports count the people assigned to you only."


def _period(
    clock: Clock, first: str, last: str
) -> tuple[Period | None, dict[str, str], dict[str, str]]:
    """The period asked for (the last 12 months by default), the form's values and any
    errors, each on its field."""
    default = Period.last_12_months(clock.now())
    errors: dict[str, str] = {}
    days: dict[str, date] = {}
    for field, text, fallback in (("first", first, default.first), ("last", last, default.last)):
        try:
            days[field] = date.fromisoformat(text.strip()) if text.strip() else fallback
        except ValueError:
            errors[field] = "Enter a real date, like 2026-11-25"
    values = {"first": first.strip(), "last": last.strip()}
    if errors:
        return None, values, errors
    if days["last"] < days["first"]:
        return None, values, {"last": "The last day must be on or after the first day"}
    if (days["last"] - days["first"]).days > MAX_DAYS:
        return None, values, {"first": "A report covers five years at most"}
    period = Period(days["first"], days["last"])
    return period, {"first": period.first.isoformat(), "last": period.last.isoformat()}, {}


DayQuery = Annotated[str, Query(max_length=20)]


def _query(period: Period) -> str:
    return f"first={period.first.isoformat()}&last={period.last.isoformat()}"


@router.get("/reports")
def report_list(
    request: Request,
    clock: ClockDep,
    account: CurrentAccount,
    first: DayQuery = "",
    last: DayQuery = "",
) -> HTMLResponse:
    whose = _whose(account)
    period, values, errors = _period(clock, first, last)
    context = {
        "summaries": SUMMARIES,
        "period": period,
        "query": _query(period) if period else "",
        "values": values,
        "errors": errors,
        "whose": whose,
        "title": "Reports",
    }
    return page(request, "reports/list.html", context, 422 if errors else 200)


def _report(
    uow: UnitOfWork,
    clock: Clock,
    settings: Settings,
    account: Account,
    name: str,
    period: Period,
    action: str,
) -> tuple[Report, str]:
    make = reports.REPORTS.get(name)
    if make is None:
        raise NotFound(f"there is no report called {name!r}")
    scope, left_out = _report_scope(uow, settings, account)
    report = make(uow.session, scope, period)
    audit.record(uow.session, clock, account.id, action, f"report {name}")
    return report, left_out


# The export's routes come before /reports/{name}, which would otherwise take them.
@router.get("/reports/export")
def export_page(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    account: CurrentAccount,
    first: DayQuery = "",
    last: DayQuery = "",
) -> HTMLResponse:
    need(account, Can.EXPORT)
    period, values, errors = _period(clock, first, last)
    left_out = _report_scope(uow, settings, account)[1]
    return _export_page(request, period, values, errors, left_out)


def _export_page(
    request: Request,
    period: Period | None,
    values: dict[str, str],
    errors: dict[str, str],
    left_out: str = "",
) -> HTMLResponse:
    context = {
        "left_out": left_out,
        "period": period,
        "query": _query(period) if period else "",
        "values": values,
        "errors": errors,
        "headings": EVENT_HEADINGS,
        "title": "Export engagement events",
    }
    return page(request, "reports/export.html", context, 422 if errors else 200)


def export_key(request: Request, settings: Settings) -> bytes:
    """WEB_EXPORT_KEY; without it, a key derived from WEB_SECRET_KEY; without that (in
    development), one random key for as long as this web app runs."""
    web = settings.web
    if web.export_key.get_secret_value():
        return web.export_key.get_secret_value().encode()
    secret = web.secret_key.get_secret_value()
    if secret:
        return hmac.new(secret.encode(), b"waymark pseudonymised export", hashlib.sha256).digest()
    key: bytes | None = getattr(request.app.state, "export_key", None)
    if key is None:
        key = secrets.token_bytes(32)
        request.app.state.export_key = key
    return key


def _event_lines(
    uow_factory: UnitOfWorkFactory, scope: ReportScope, period: Period, key: bytes
) -> Iterator[str]:
    with uow_factory() as uow:  # the request's unit of work has ended by the time this runs
        yield from reports.pseudonymised_events(uow.session, scope, period, key)


@router.get("/reports/export.csv", response_model=None)
def export_csv(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    uow_factory: UowFactoryDep,
    account: CurrentAccount,
    first: DayQuery = "",
    last: DayQuery = "",
) -> Response:
    need(account, Can.EXPORT)
    period, values, errors = _period(clock, first, last)
    if period is None:
        return _export_page(request, period, values, errors)
    scope = _report_scope(uow, settings, account)[0]
    audit.record(uow.session, clock, account.id, "export", "report events")
    name = f"waymark-events-{period.first}-{period.last}.csv"
    return StreamingResponse(
        _event_lines(uow_factory, scope, period, export_key(request, settings)),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/reports/{name}.csv", response_model=None)
def report_csv(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    account: CurrentAccount,
    name: str,
    first: DayQuery = "",
    last: DayQuery = "",
) -> Response:
    need(account, Can.REPORTS)
    period, _, errors = _period(clock, first, last)
    if period is None:
        message = " ".join(errors.values())
        return page(
            request,
            "problem.html",
            {"heading": "That did not work", "message": message, "back": f"/reports/{name}"},
            422,
        )
    report = _report(uow, clock, settings, account, name, period, "export")[0]
    filename = f"waymark-{report.key}-{period.first}-{period.last}.csv"
    return Response(
        reports.report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _chart(report: Report, nonce: str) -> Markup:
    # Our own SVG: pygal builds it from numbers and our words, escaping every label. Its
    # <style> carries the answer's nonce, which the Content-Security-Policy names.
    return Markup(charts.render(report, nonce=nonce or None))  # noqa: S704


@router.get("/reports/{name}")
def report_page(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    account: CurrentAccount,
    name: str,
    first: DayQuery = "",
    last: DayQuery = "",
) -> HTMLResponse:
    whose = _whose(account)
    if name not in reports.REPORTS:
        raise NotFound(f"there is no report called {name!r}")
    period, values, errors = _period(clock, first, last)
    report, left_out = (
        (None, "")
        if period is None
        else _report(uow, clock, settings, account, name, period, "view")
    )
    context = {
        "left_out": left_out,
        "name": name,
        "report": report,
        "chart": _chart(report, csp_nonce(request)) if report else None,
        "numeric": [c.kind is not ColumnKind.LABEL for c in report.columns] if report else [],
        "note": SUPPRESSION_NOTE,
        "query": _query(period) if period else "",
        "values": values,
        "errors": errors,
        "whose": whose,
        "title": report.title if report else SUMMARIES.get(name, (name, ""))[0],
    }
    return page(request, "reports/report.html", context, 422 if errors else 200)
