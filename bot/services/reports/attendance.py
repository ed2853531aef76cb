"""Attendance by month, and attendance against how people answered their reminders."""

from __future__ import annotations

from sqlalchemy import case, func, or_, select
from sqlmodel import Session, col

from bot.models import Appointment, Confirmation, Outcome
from bot.services.reports.model import Column, ColumnKind, Period, Report, Scope
from bot.services.reports.sql import (
    appointment_facts,
    as_int,
    in_period,
    month_of,
    without_jit,
)
from bot.services.reports.table import RateOf, counted_rows

OUTCOMES = (Outcome.ATTENDED, Outcome.MISSED, Outcome.RESCHEDULED)
MONTH_COLUMNS = (
    Column("Month", ColumnKind.LABEL),
    Column("Attended"),
    Column("Missed"),
    Column("Rescheduled"),
    Column("Attendance rate", ColumnKind.RATE),
)
ANSWER_COLUMNS = (
    Column("Answer to reminders", ColumnKind.LABEL),
    Column("Attended"),
    Column("Missed"),
    Column("Attendance rate", ColumnKind.RATE),
)
RATE_NOTE = (
    "The attendance rate is the share attended of those attended or missed; "
    "rescheduled appointments count neither way."
)


def attendance_by_month(session: Session, scope: Scope, period: Period) -> Report:
    months = period.months()
    appointment = Appointment
    per_appointment = (
        select(
            month_of(col(appointment.starts_at), months).label("month"),
            col(appointment.outcome).label("outcome"),
        )
        .where(*in_period(period, scope))
        .where(col(appointment.outcome).is_not(None))
        .subquery()
    )
    query = select(
        per_appointment.c.month, per_appointment.c.outcome, func.count().label("n")
    ).group_by(per_appointment.c.month, per_appointment.c.outcome)
    counts = [[0] * len(OUTCOMES) for _ in months]
    for month, outcome, n in session.execute(query):
        counts[month][OUTCOMES.index(Outcome(outcome))] = as_int(n)
    return Report(
        key="attendance-by-month",
        title="Attendance by month",
        description=(
            "Appointments with an outcome recorded, by the London month they were in. " + RATE_NOTE
        ),
        period=period,
        columns=MONTH_COLUMNS,
        rows=counted_rows([m.label for m in months], counts, (0, 1, 2, RateOf(0, (0, 1)))),
    )


ANSWER_GROUPS = (
    "Said they were coming",
    "Answered another way",
    "Did not answer",
    "No reminder was sent",
)


def confirmation_and_reply(session: Session, scope: Scope, period: Period) -> Report:
    without_jit(session)
    facts = appointment_facts(period, scope)
    group = case(
        (facts.c.confirmation == Confirmation.COMING, 0),
        (or_(facts.c.replied == 1, facts.c.confirmation.is_not(None)), 1),
        (facts.c.sent == 1, 2),
        else_=3,
    )
    grouped = (
        select(group.label("answer"), facts.c.outcome)
        .where(facts.c.outcome.in_([Outcome.ATTENDED, Outcome.MISSED]))
        .subquery()
    )
    query = select(grouped.c.answer, grouped.c.outcome, func.count()).group_by(
        grouped.c.answer, grouped.c.outcome
    )
    counts = [[0, 0] for _ in ANSWER_GROUPS]
    for answer, outcome, n in session.execute(query):
        counts[answer][0 if outcome == Outcome.ATTENDED else 1] = as_int(n)
    return Report(
        key="confirmation-and-reply",
        title="Answering reminders and attendance",
        description=(
            "Appointments attended or missed, by how the person answered their reminders: "
            "'coming' as their last answer, another answer (running late, can't come, "
            "how do I get there), no answer to the reminders sent, or no reminder sent."
        ),
        period=period,
        columns=ANSWER_COLUMNS,
        rows=counted_rows(ANSWER_GROUPS, counts, (0, 1, RateOf(0, (0, 1)))),
    )
