"""How many people have each category of need, borough by borough."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session, col

from bot.models import NEED_LABELS, NeedCategory, Person
from bot.services.reports.model import Column, ColumnKind, Period, Report, Scope
from bot.services.reports.sql import active_needs, as_int
from bot.services.reports.table import counted_rows

CATEGORIES = tuple(NeedCategory)
COLUMNS = (
    Column("Borough", ColumnKind.LABEL),
    *(Column(NEED_LABELS[category]) for category in CATEGORIES),
)


def need_by_borough(session: Session, scope: Scope, period: Period) -> Report:
    """One row per borough with people in scope; one column per category of need."""
    needs = active_needs(period)
    in_scope = scope.covers(col(Person.id))
    boroughs = list(
        session.scalars(
            select(col(Person.borough)).where(in_scope).distinct().order_by(col(Person.borough))
        )
    )
    query = (
        select(col(Person.borough), needs.c.category, func.count(func.distinct(col(Person.id))))
        .join(needs, needs.c.person_id == col(Person.id))
        .where(in_scope)
        .group_by(col(Person.borough), needs.c.category)
    )
    counts = [[0] * len(CATEGORIES) for _ in boroughs]
    row_of = {borough: index for index, borough in enumerate(boroughs)}
    for borough, category, n in session.execute(query):
        if category in CATEGORIES:
            counts[row_of[borough]][CATEGORIES.index(NeedCategory(category))] = as_int(n)
    return Report(
        key="need-by-borough",
        title="Need by category and borough",
        description=(
            "People with each category of need recorded (from screening, not a diagnosis), "
            "by the borough they live in, as the records stood at the end of the period. "
            "A person with more than one need counts in each of them."
        ),
        period=period,
        columns=COLUMNS,
        rows=counted_rows(boroughs, counts, range(len(CATEGORIES))),
    )
