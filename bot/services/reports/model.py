"""What a report is (a title, words, columns and cells), which people it covers (a scope)
and over which London days (a period)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, true
from sqlalchemy.orm import Mapped
from sqlmodel import select

from bot.domain.localtime import at_local, local
from bot.models import Person, StaffAssignment

SUPPRESSED_TEXT = "fewer than 5"
SUPPRESSED_CSV = "<5"
SUPPRESSION_NOTE = (
    "Numbers under 5 are hidden and shown as 'fewer than 5', so nobody can be picked out. "
    "Where one number in a row or column is hidden, the next smallest is hidden too."
)


class ColumnKind(StrEnum):
    LABEL = "label"
    COUNT = "count"
    RATE = "rate"  # a share from 0 to 1
    MINUTES = "minutes"


@dataclass(frozen=True)
class Column:
    heading: str
    kind: ColumnKind = ColumnKind.COUNT

    @property
    def csv_heading(self) -> str:
        return f"{self.heading} (%)" if self.kind is ColumnKind.RATE else self.heading


@dataclass(frozen=True)
class Cell:
    """One value. A suppressed cell has no value at all: the number never leaves here."""

    kind: ColumnKind
    value: str | int | float | None
    suppressed: bool = False

    @classmethod
    def label(cls, text: str) -> Cell:
        return cls(ColumnKind.LABEL, text)

    @classmethod
    def hidden(cls, kind: ColumnKind) -> Cell:
        return cls(kind, None, suppressed=True)

    @property
    def number(self) -> float | None:
        """The value for a chart: None when suppressed or not a number."""
        if self.suppressed or isinstance(self.value, str) or self.value is None:
            return None
        return float(self.value)

    @property
    def text(self) -> str:
        """As people read it on the page."""
        if self.suppressed:
            return SUPPRESSED_TEXT
        match self.kind, self.value:
            case _, None:
                return ""
            case ColumnKind.RATE, float() | int() as share:
                return f"{share:.0%}"
            case ColumnKind.MINUTES, float() | int() as minutes:
                return f"{minutes:.0f}"
        return str(self.value)

    @property
    def csv(self) -> str:
        if self.suppressed:
            return SUPPRESSED_CSV
        match self.kind, self.value:
            case _, None:
                return ""
            case ColumnKind.RATE, float() | int() as share:
                return f"{share * 100:.1f}"
            case ColumnKind.MINUTES, float() | int() as minutes:
                return f"{minutes:.1f}"
        return str(self.value)


@dataclass(frozen=True)
class Period:
    """London days, the first and the last included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period ends on or after the day it starts")

    @classmethod
    def last_12_months(cls, now: datetime) -> Period:
        """This London month so far and the 11 whole months before it."""
        today = local(now).date()
        return cls(_add_months(today.replace(day=1), -11), today)

    @property
    def start(self) -> datetime:
        """Aware UTC: midnight in London at the start of the first day."""
        return at_local(self.first, _MIDNIGHT)

    @property
    def end(self) -> datetime:
        """Aware UTC: midnight in London after the last day (not included)."""
        return at_local(self.last + timedelta(days=1), _MIDNIGHT)

    @property
    def words(self) -> str:
        return f"{_day(self.first)} to {_day(self.last)}"

    def months(self) -> list[Month]:
        """Each London month the period touches, cut to the period."""
        months: list[Month] = []
        first = self.first.replace(day=1)
        while first <= self.last:
            following = _add_months(first, 1)
            start = at_local(max(first, self.first), _MIDNIGHT)
            end = at_local(min(following, self.last + timedelta(days=1)), _MIDNIGHT)
            months.append(Month(f"{first:%B %Y}", f"{first:%Y-%m}", start, end))
            first = following
        return months


@dataclass(frozen=True)
class Month:
    label: str  # "April 2026"
    key: str  # "2026-04"
    start: datetime  # aware UTC
    end: datetime


@dataclass(frozen=True)
class Scope:
    """Whose data a report counts: everyone, one coach's caseload, the people assigned to
    one IOM staff member, or a set of people named by id."""

    coach_id: int | None = None
    staff_id: int | None = None
    person_ids: frozenset[int] | None = None
    # People the evaluation leaves out (they declined or withdrew): never counted.
    leave_out: frozenset[int] = frozenset()

    @classmethod
    def everyone(cls) -> Scope:
        return cls()

    @classmethod
    def caseload(cls, coach_id: int) -> Scope:
        return cls(coach_id=coach_id)

    @classmethod
    def assigned_to(cls, staff_id: int) -> Scope:
        return cls(staff_id=staff_id)

    @classmethod
    def people(cls, person_ids: Iterable[int]) -> Scope:
        return cls(person_ids=frozenset(person_ids))

    def without(self, person_ids: Iterable[int]) -> Scope:
        """The same people, less these."""
        return replace(self, leave_out=frozenset(person_ids))

    def covers(self, person_id: ColumnElement[Any] | Mapped[Any]) -> ColumnElement[bool]:
        """A condition on a person id column, for a WHERE clause."""
        if self.leave_out:
            kept = person_id.not_in(sorted(self.leave_out))
            return and_(replace(self, leave_out=frozenset()).covers(person_id), kept)
        if self.person_ids is not None:
            return person_id.in_(sorted(self.person_ids))
        if self.coach_id is not None:
            caseload = select(Person.id).where(Person.coach_id == self.coach_id)
            return person_id.in_(caseload)
        if self.staff_id is not None:
            assigned = select(StaffAssignment.person_id).where(
                StaffAssignment.account_id == self.staff_id
            )
            return person_id.in_(assigned)
        return true()


@dataclass(frozen=True)
class Report:
    """A table ready to show (or to draw): every suppressed cell is already hidden."""

    key: str  # names the report to the chart maker and in file names
    title: str
    description: str
    period: Period
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(column.heading for column in self.columns)

    @property
    def any_suppressed(self) -> bool:
        return any(cell.suppressed for row in self.rows for cell in row)

    def column(self, heading: str) -> list[Cell]:
        index = self.headings.index(heading)
        return [row[index] for row in self.rows]


_MIDNIGHT = datetime.min.time()


def _add_months(day: date, months: int) -> date:
    """The first of the month `months` away from a first of the month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
