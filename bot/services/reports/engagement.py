"""Attendance and reply rates by the person's message format and by category of need."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import CTE, ColumnElement, FromClause, func, select
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col

from bot.models import NEED_LABELS, Format, NeedCategory, Outcome, Person
from bot.services.reports.attendance import RATE_NOTE
from bot.services.reports.model import Column, ColumnKind, Period, Report, Scope
from bot.services.reports.sql import active_needs, appointment_facts, as_int, without_jit
from bot.services.reports.table import RateOf, counted_rows

FORMAT_LABELS: dict[str, str] = {
    Format.WORDS: "Words",
    Format.PICTURES: "Pictures",
    Format.VOICE: "Voice",
}
NO_NEED = "No need recorded"
REPLY_NOTE = (
    "The reply rate is the share of appointments with a reminder sent where the person "
    "answered a reminder."
)
COLUMNS = (
    Column("Attended"),
    Column("Missed"),
    Column("Attendance rate", ColumnKind.RATE),
    Column("Replied"),
    Column("Did not reply"),
    Column("Reply rate", ColumnKind.RATE),
)
LAYOUT = (0, 1, RateOf(0, (0, 1)), 2, 3, RateOf(2, (2, 3)))
FORMAT_COLUMNS = (Column("Format", ColumnKind.LABEL), *COLUMNS)
NEED_COLUMNS = (Column("Category of need", ColumnKind.LABEL), *COLUMNS)


def by_format(session: Session, scope: Scope, period: Period) -> Report:
    without_jit(session)
    facts = appointment_facts(period, scope)
    joined = facts.join(Person, col(Person.id) == facts.c.person_id)
    keys = list(FORMAT_LABELS)
    counts = _counts(session, facts, col(Person.format), joined, keys)
    return Report(
        key="engagement-by-format",
        title="Attendance and replies by message format",
        description=(
            "Appointments by the format each person gets their messages in now "
            f"(words, pictures or voice). {RATE_NOTE} {REPLY_NOTE}"
        ),
        period=period,
        columns=FORMAT_COLUMNS,
        rows=counted_rows([FORMAT_LABELS[k] for k in keys], counts, LAYOUT),
    )


def by_need(session: Session, scope: Scope, period: Period) -> Report:
    without_jit(session)
    facts = appointment_facts(period, scope)
    needs = active_needs(period)
    joined = facts.outerjoin(needs, needs.c.person_id == facts.c.person_id)
    keys: list[str | None] = [*NeedCategory, None]
    counts = _counts(session, facts, needs.c.category, joined, keys)
    labels = [NEED_LABELS[NeedCategory(k)] if k else NO_NEED for k in keys]
    return Report(
        key="engagement-by-need",
        title="Attendance and replies by category of need",
        description=(
            "Appointments by the categories of need recorded for the person at the end of "
            "the period. A person with more than one need counts in each of them. "
            f"{RATE_NOTE} {REPLY_NOTE}"
        ),
        period=period,
        columns=NEED_COLUMNS,
        rows=counted_rows(labels, counts, LAYOUT),
    )


def _counts(
    session: Session,
    facts: CTE,
    key: ColumnElement[Any] | Mapped[Any],
    joined: FromClause,
    keys: Sequence[str | None],
) -> list[list[int]]:
    """Per key: attended, missed, replied, did not reply (of those with a reminder sent)."""
    query = (
        select(key, facts.c.outcome, facts.c.sent, facts.c.replied, func.count())
        .select_from(joined)
        .group_by(key, facts.c.outcome, facts.c.sent, facts.c.replied)
    )
    counts = {k: [0, 0, 0, 0] for k in keys}
    for value, outcome, sent, replied, n in session.execute(query):
        row = counts.get(value)
        if row is None:  # a category no longer in the list
            continue
        if outcome == Outcome.ATTENDED:
            row[0] += as_int(n)
        elif outcome == Outcome.MISSED:
            row[1] += as_int(n)
        if as_int(sent):
            row[2 if as_int(replied) else 3] += as_int(n)
    return [counts[k] for k in keys]
