"""The queries the reports share. Every count is made by the database (GROUP BY);
Python only lays out the few rows that come back.

A reply is tied to its appointment (the event carries the appointment id) but not to the
reminder it answered (it carries no slot), so "replied" means: a reminder reply event for
the appointment, and the response time runs from the last reminder sent before the first
reply. Events are looked up per appointment (index on appointment_id, kind, at).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Subquery,
    case,
    exists,
    extract,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col

from bot.models import Appointment, AppointmentStatus, EngagementEvent, Need
from bot.services.reports.model import Month, Period, Scope

SENT = "message_sent"
REPLY = "reminder_reply"


def month_of(
    moment: ColumnElement[datetime] | Mapped[datetime], months: list[Month]
) -> ColumnElement[int]:
    """The index of the London month a time falls in (rows must be inside the period).
    Month bounds are worked out in Python as UTC instants, so SQLite, which knows no
    time zones, splits months exactly where PostgreSQL would."""
    return case(*((moment < month.end, index) for index, month in enumerate(months)))


def materialized(query: Any, name: str) -> CTE:
    """A WITH query the database works out once (SQLite 3.35 and PostgreSQL 12 on), not
    folded into the outer query, where SQLite would repeat its correlated lookups for
    every place its columns are used."""
    cte: CTE = query.cte(name).prefix_with("MATERIALIZED")
    return cte


def minutes_between(
    dialect: str, later: ColumnElement[Any], earlier: ColumnElement[Any]
) -> ColumnElement[Any]:
    if dialect == "sqlite":  # times are kept as UTC text, which julianday reads
        days = func.julianday(later) - func.julianday(earlier)
        return days * 1440.0
    return extract("epoch", later - earlier) / 60.0


def reminded() -> ColumnElement[bool]:
    """A reminder about the appointment was sent before it started (one index seek)."""
    event, appointment = EngagementEvent, Appointment
    return exists().where(
        col(event.appointment_id) == col(appointment.id),
        col(event.kind) == SENT,
        col(event.at) < col(appointment.starts_at),
    )


def answered() -> ColumnElement[bool]:
    """The person answered one of the appointment's reminders (one index seek)."""
    event, appointment = EngagementEvent, Appointment
    return exists().where(
        col(event.appointment_id) == col(appointment.id), col(event.kind) == REPLY
    )


def without_jit(session: Session) -> None:
    """PostgreSQL: no JIT compilation for the rest of this transaction. The planner
    prices the per-appointment lookups as if each were a scan, so a report crosses the
    JIT threshold though its work is small, and compiling took longer than the query
    (0.5 s of 1 s, with 48,000 appointments)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def in_period(period: Period, scope: Scope) -> tuple[ColumnElement[bool], ...]:
    """Scheduled appointments starting in the period, of the people in scope."""
    appointment = Appointment
    return (
        col(appointment.status) == AppointmentStatus.SCHEDULED,
        col(appointment.starts_at) >= period.start,
        col(appointment.starts_at) < period.end,
        scope.covers(col(appointment.person_id)),
    )


def appointment_facts(period: Period, scope: Scope) -> CTE:
    """One row per scheduled appointment that starts in the period: its person, outcome
    and confirmation, `sent` (1 when a reminder went before it started) and `replied`
    (1 when the person answered a reminder). The events are found per appointment
    through the index on (appointment_id, kind, at), so the cost follows the number of
    appointments, not of events."""
    appointment = Appointment
    return materialized(
        select(
            col(appointment.id).label("appointment_id"),
            col(appointment.person_id).label("person_id"),
            col(appointment.outcome).label("outcome"),
            col(appointment.confirmation).label("confirmation"),
            case((reminded(), 1), else_=0).label("sent"),
            case((answered(), 1), else_=0).label("replied"),
        ).where(*in_period(period, scope)),
        "facts",
    )


def active_needs(period: Period) -> Subquery:
    """Each person's categories of need as they stood at the end of the period (recorded
    by then, not removed by then), once each."""
    need = Need
    return (
        select(col(need.person_id).label("person_id"), col(need.category).label("category"))
        .where(col(need.recorded_at) < period.end)
        .where(or_(col(need.removed_at).is_(None), col(need.removed_at) >= period.end))
        .distinct()
        .subquery("needs")
    )


def as_int(value: object) -> int:
    """A count or flag from a row (SQLite gives ints, PostgreSQL ints or bools)."""
    return int(value) if isinstance(value, int | bool) else 0
