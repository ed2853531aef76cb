"""Reports as JSON: the same tables as the dashboard, counted in the database over the
people the account may count (everyone for managers, a coach's caseload, the people
assigned to IOM staff). A number under 5 never leaves Waymark: its cell says
`"suppressed": true` and has no value."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from bot.domain.errors import NotFound
from bot.models import Account, Role
from bot.services import consent_history, reports
from bot.services.access import Can, allows, need
from bot.services.reports import Cell, ColumnKind, Period, Report
from bot.services.reports import Scope as ReportScope
from bot.services.reports.model import SUPPRESSION_NOTE
from web.api.deps import Caller, viewed
from web.api.problems import refusals, refuse
from web.deps import ClockDep, SettingsDep, UowDep

router = APIRouter(tags=["reports"])

NAMES = tuple(reports.REPORTS)
Name = Annotated[str, Path(max_length=40, description=f"One of: {', '.join(NAMES)}.")]
FirstDay = Annotated[date | None, Query(description="The first London day; a year ago if absent.")]
LastDay = Annotated[date | None, Query(description="The last London day; today if absent.")]
MAX_DAYS = 366 * 5


class ReportName(BaseModel):
    name: str
    path: str


class ColumnPublic(BaseModel):
    heading: str
    kind: ColumnKind  # label, count, rate (a share from 0 to 1) or minutes


class CellPublic(BaseModel):
    value: str | int | float | None  # null when suppressed
    suppressed: bool
    text: str  # as the dashboard shows it ("fewer than 5" when suppressed)

    @classmethod
    def of(cls, cell: Cell) -> CellPublic:
        return cls(value=cell.value, suppressed=cell.suppressed, text=cell.text)


class PeriodPublic(BaseModel):
    first: date
    last: date


class ReportPublic(BaseModel):
    name: str
    title: str
    description: str
    period: PeriodPublic
    columns: list[ColumnPublic]
    rows: list[list[CellPublic]]
    any_suppressed: bool
    suppression_note: str
    left_out: int = 0  # people not counted: they declined or withdrew their consent
    left_out_note: str = ""

    @classmethod
    def of(cls, report: Report, left_out: int = 0) -> ReportPublic:
        return cls(
            name=report.key,
            title=report.title,
            description=report.description,
            period=PeriodPublic(first=report.period.first, last=report.period.last),
            columns=[ColumnPublic(heading=c.heading, kind=c.kind) for c in report.columns],
            rows=[[CellPublic.of(cell) for cell in row] for row in report.rows],
            any_suppressed=report.any_suppressed,
            suppression_note=SUPPRESSION_NOTE,
            left_out=left_out,
            left_out_note=consent_history.left_out_note(left_out),
        )


def _scope(account: Account) -> ReportScope:
    assert account.id is not None
    if allows(account, Can.ALL_PEOPLE):
        return ReportScope.everyone()
    if account.role == Role.STAFF:  # a role loads from its column as text
        return ReportScope.assigned_to(account.id)
    return ReportScope.caseload(account.id)


@router.get("/reports", summary="The reports there are", responses=refusals(403))
def list_reports(account: Caller) -> list[ReportName]:
    need(account, Can.REPORTS)
    return [ReportName(name=name, path=f"/api/v1/reports/{name}") for name in NAMES]


@router.get(
    "/reports/{name}",
    summary="One report, small numbers suppressed",
    description=(
        "Over London days from `first` to `last` (both included; the last 12 months if "
        "absent), for the people the account may count."
    ),
    responses=refusals(403, 404, 422),
)
def get_report(
    name: Name,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    account: Caller,
    first: FirstDay = None,
    last: LastDay = None,
) -> ReportPublic:
    need(account, Can.REPORTS)
    make = reports.REPORTS.get(name)
    if make is None:
        raise NotFound(f"no report named {name!r}; there are: {', '.join(NAMES)}")
    default = Period.last_12_months(clock.now())
    first, last = first or default.first, last or default.last
    if last < first:
        raise refuse("last", "the last day is before the first")
    if (last - first).days > MAX_DAYS:
        raise refuse("first", "a report covers at most five years")
    scope, left_out = consent_history.evaluation_scope(
        uow.session, _scope(account), leave_out=settings.evaluation_leaves_out
    )
    report = make(uow.session, scope, Period(first, last))
    viewed(uow, clock, account, f"report {name}")
    return ReportPublic.of(report, left_out)
