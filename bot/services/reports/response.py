"""How long people take to answer a reminder, by the format they get messages in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Float,
    Select,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlmodel import Session, col

from bot.models import Appointment, EngagementEvent, Person
from bot.services.reports.engagement import FORMAT_LABELS
from bot.services.reports.model import Cell, Column, ColumnKind, Period, Report, Scope
from bot.services.reports.sql import (
    REPLY,
    SENT,
    as_int,
    in_period,
    materialized,
    minutes_between,
    without_jit,
)
from bot.services.reports.suppression import too_small
from bot.services.reports.table import counted_rows

# Upper edges in minutes; the last bucket is open.
BUCKETS: tuple[tuple[int | None, str], ...] = (
    (5, "Under 5 minutes"),
    (30, "5 to 30 minutes"),
    (120, "30 minutes to 2 hours"),
    (720, "2 to 12 hours"),
    (None, "12 hours or more"),
)
QUARTILES = ("Lower quartile", "Median", "Upper quartile")
BUCKET, RANK = 0, 1  # the two kinds of row the query returns
COLUMNS = (
    Column("Format", ColumnKind.LABEL),
    *(Column(f"{q} (minutes)", ColumnKind.MINUTES) for q in QUARTILES),
    *(Column(label) for _, label in BUCKETS),
)


def response_time(session: Session, scope: Scope, period: Period) -> Report:
    """Minutes from the last reminder sent before a person's first answer to that answer,
    one per appointment starting in the period."""
    dialect = session.get_bind().dialect.name
    without_jit(session)
    event, appointment = EngagementEvent, Appointment
    first_reply = (
        select(func.min(col(event.at)))
        .where(col(event.appointment_id) == col(appointment.id), col(event.kind) == REPLY)
        .scalar_subquery()
    )
    replied = materialized(
        select(
            col(appointment.id).label("appointment_id"),
            col(appointment.person_id).label("person_id"),
            first_reply.label("first_reply"),
        ).where(*in_period(period, scope)),
        "replied",
    )
    last_sent = (
        select(func.max(col(event.at)))
        .where(col(event.appointment_id) == replied.c.appointment_id)
        .where(col(event.kind) == SENT, col(event.at) <= replied.c.first_reply)
        .scalar_subquery()
    )
    pairs = materialized(
        select(replied.c.person_id, replied.c.first_reply, last_sent.label("sent_at")).where(
            replied.c.first_reply.is_not(None)
        ),
        "pairs",
    )
    minutes = minutes_between(dialect, pairs.c.first_reply, pairs.c.sent_at)
    timed = materialized(
        select(col(Person.format).label("format"), minutes.label("minutes"))
        .select_from(pairs)
        .join(Person, col(Person.id) == pairs.c.person_id)
        .where(pairs.c.sent_at.is_not(None)),
        "timed",
    )
    formats: list[str] = list(FORMAT_LABELS)
    counts = [[0] * len(BUCKETS) for _ in formats]
    found: dict[tuple[str, int], float] = {}  # (format, rank): minutes
    sizes: dict[str, int] = {}
    # One statement, so that the times are worked out once for both parts.
    for part, format_, index, n, minutes in session.execute(
        union_all(_bucket_counts(timed), _quartile_ranks(timed))
    ):
        if format_ not in formats:
            continue
        if part == BUCKET:
            counts[formats.index(format_)][as_int(index)] = as_int(n)
        else:
            found[format_, as_int(index)] = float(minutes)
            sizes[format_] = as_int(n)
    quartiles = [_quartiles(found, format_, sizes.get(format_, 0)) for format_ in formats]
    rows = counted_rows(
        [FORMAT_LABELS[f] for f in formats],
        counts,
        range(len(BUCKETS)),
        row_groups=[range(len(BUCKETS))],  # a row adds up to the replies in engagement-by-format
    )
    with_quartiles = []
    for row, total, (label, *bucket_cells) in zip(quartiles, counts, rows, strict=True):
        hidden = too_small(sum(total))
        stats = [Cell.hidden(ColumnKind.MINUTES) if hidden else _minutes(v) for v in row]
        with_quartiles.append((label, *stats, *bucket_cells))
    return Report(
        key="response-time",
        title="How quickly people answer reminders",
        description=(
            "Minutes from a reminder to the person's first answer, one answer per "
            "appointment in the period. Answers are not marked with the reminder they "
            "answer, so each is timed from the last reminder sent before it."
        ),
        period=period,
        columns=COLUMNS,
        rows=tuple(with_quartiles),
    )


def _bucket_counts(timed: CTE) -> Select[Any]:
    """(BUCKET, format, bucket, answers, NULL) rows."""
    bucket = case(
        *((timed.c.minutes < edge, i) for i, (edge, _) in enumerate(BUCKETS) if edge),
        else_=len(BUCKETS) - 1,
    )
    per_reply = select(timed.c.format, bucket.label("bucket")).subquery()
    return select(
        literal_column(str(BUCKET)),
        per_reply.c.format,
        per_reply.c.bucket,
        func.count(),
        cast(null(), Float),
    ).group_by(per_reply.c.format, per_reply.c.bucket)


def _quartile_ranks(timed: CTE) -> Select[Any]:
    """(RANK, format, 0-based rank, answers, minutes) rows: only the (at most six) ranks
    per format the quartiles need; the database sorts the times."""
    rank = func.row_number().over(partition_by=timed.c.format, order_by=timed.c.minutes)
    size = func.count().over(partition_by=timed.c.format)
    ranked = select(
        timed.c.format, timed.c.minutes, (rank - 1).label("i"), size.label("n")
    ).subquery()
    i, n = ranked.c.i, ranked.c.n
    return select(literal_column(str(RANK)), ranked.c.format, i, n, ranked.c.minutes).where(
        or_(*(i == position for position in _positions(n)))
    )


def _quartiles(found: dict[tuple[str, int], float], format_: str, n: int) -> list[float | None]:
    """Lower quartile, median and upper quartile, interpolated between the two nearest
    ranks (as statistics.quantiles(method="inclusive"))."""
    if n == 0:
        return [None, None, None]
    return [_at(found, format_, n, quarter) for quarter in (1, 2, 3)]


def _positions(n: ColumnElement[int]) -> list[ColumnElement[int]]:
    """0-based ranks around each quartile q/4 of n sorted values: floor and ceiling of
    (n - 1) * q / 4, in integer arithmetic so both databases agree."""
    return [
        (n - 1) // 4,
        (n + 2) // 4,
        (n - 1) // 2,
        n // 2,
        (3 * n - 3) // 4,
        (3 * n) // 4,
    ]


def _at(found: dict[tuple[str, int], float], format_: str, n: int, quarter: int) -> float:
    h = (n - 1) * quarter / 4
    low, high = int(h), -(-(n - 1) * quarter // 4)
    below, above = found[format_, low], found[format_, high]
    return below + (above - below) * (h - low)


def _minutes(value: float | None) -> Cell:
    return Cell(ColumnKind.MINUTES, value)
