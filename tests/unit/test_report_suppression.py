"""Small numbers in reports: never shown, and never recoverable from what is shown."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from bot.services.reports import (
    SUPPRESSED_CSV,
    SUPPRESSED_TEXT,
    Cell,
    Column,
    ColumnKind,
    Period,
    Report,
    pseudonym,
    report_csv,
)
from bot.services.reports.suppression import rate_hidden, suppress_counts
from bot.services.reports.table import RateOf, counted_rows


def test_a_count_under_5_is_hidden_and_5_is_shown() -> None:
    assert suppress_counts([[0], [4], [5], [120]]) == [[True], [True], [False], [False]]


def test_a_lone_hidden_cell_in_a_column_takes_the_next_smallest_with_it() -> None:
    # The column's total can be had from another report: 3 = total - 40 - 9 - 12.
    hidden = suppress_counts([[40], [3], [9], [12]])
    assert [row[0] for row in hidden] == [False, True, True, False]


def test_two_hidden_cells_in_a_column_are_enough() -> None:
    hidden = suppress_counts([[40], [3], [2], [12]])
    assert [row[0] for row in hidden] == [False, True, True, False]


def test_a_column_with_one_cell_has_nothing_to_hide_it_behind() -> None:
    assert suppress_counts([[3, 50]]) == [[True, False]]


def test_row_groups_are_protected_too_and_the_rules_are_applied_until_nothing_changes() -> None:
    table = [
        [50, 3, 20],
        [30, 40, 60],
        [70, 80, 90],
    ]
    hidden = suppress_counts(table, row_groups=[(0, 1, 2)])
    # 3 hides 40 (its column) and 20 (its row); 40 hides 30 (its row); 30 hides 50 and
    # 20 hides 60 (their columns): each line left with one hidden cell takes another.
    assert hidden == [
        [True, True, True],
        [True, True, True],
        [False, False, False],
    ]
    for line in [*hidden, *zip(*hidden, strict=True)]:
        assert sum(line) != 1


@pytest.mark.parametrize(
    ("numerator", "denominator", "parts_hidden", "hidden"),
    [
        (20, 40, (), False),
        (4, 40, (), True),  # the numerator is small
        (37, 40, (), True),  # what it leaves out (3) is small
        (3, 4, (), True),  # the denominator is small
        (20, 40, (False, True), True),  # a count it comes from is hidden in the table
    ],
)
def test_when_a_rate_is_hidden(
    numerator: int, denominator: int, parts_hidden: tuple[bool, ...], hidden: bool
) -> None:
    assert rate_hidden(numerator, denominator, *parts_hidden) is hidden


def test_counted_rows_hide_a_rate_whose_counts_were_hidden_for_a_column() -> None:
    # Row "b": attended 6 is shown by the first rule, hidden by the second (column
    # attended has "c" = 2 hidden); its rate would give it back, so it goes too.
    rows = counted_rows(
        ["a", "b", "c"],
        [[60, 20], [6, 30], [2, 40]],
        (0, 1, RateOf(0, (0, 1))),
    )
    assert [cell.suppressed for cell in rows[0]] == [False, False, False, False]
    assert rows[0][3].value == pytest.approx(0.75)
    assert [cell.suppressed for cell in rows[1]] == [False, True, False, True]
    assert [cell.suppressed for cell in rows[2]] == [False, True, False, True]


def test_a_hidden_cell_holds_no_number_and_says_fewer_than_5() -> None:
    rows = counted_rows(["a", "b"], [[3], [2]], (0,))
    cell = rows[0][1]
    assert cell.value is None
    assert cell.number is None
    assert cell.text == SUPPRESSED_TEXT == "fewer than 5"
    assert cell.csv == SUPPRESSED_CSV == "<5"


def test_cells_read_as_people_read_them() -> None:
    assert Cell(ColumnKind.RATE, 0.755).text == "76%"
    assert Cell(ColumnKind.RATE, 0.755).csv == "75.5"
    assert Cell(ColumnKind.MINUTES, 12.25).text == "12"
    assert Cell(ColumnKind.COUNT, 12).text == "12"


def _report() -> Report:
    columns = (
        Column("Month", ColumnKind.LABEL),
        Column("Attended"),
        Column("Missed"),
        Column("Attendance rate", ColumnKind.RATE),
    )
    rows = counted_rows(["April 2026", "May 2026"], [[30, 4], [25, 10]], (0, 1, RateOf(0, (0, 1))))
    return Report("r", "R", "d", Period(date(2026, 4, 1), date(2026, 5, 31)), columns, rows)


def test_csv_writes_hidden_cells_as_less_than_5_and_never_the_number() -> None:
    text = report_csv(_report())
    lines = list(csv.reader(io.StringIO(text)))
    assert lines == [
        ["Month", "Attended", "Missed", "Attendance rate (%)"],
        ["April 2026", "30", "<5", "<5"],
        ["May 2026", "25", "<5", "<5"],  # 10 goes with the lone 4 in its column
    ]
    assert ",4," not in text
    assert ",10" not in text


def test_months_are_london_months_across_the_clock_change() -> None:
    months = Period(date(2026, 3, 15), date(2026, 4, 10)).months()
    assert [m.key for m in months] == ["2026-03", "2026-04"]
    assert months[0].start == datetime(2026, 3, 15, 0, 0, tzinfo=UTC)  # GMT
    assert months[0].end == months[1].start == datetime(2026, 3, 31, 23, 0, tzinfo=UTC)  # BST
    assert months[1].end == datetime(2026, 4, 10, 23, 0, tzinfo=UTC)


def test_the_default_period_is_this_month_and_the_11_before_it() -> None:
    period = Period.last_12_months(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    assert (period.first, period.last) == (date(2025, 12, 1), date(2026, 11, 23))
    assert len(period.months()) == 12
    assert period.start == datetime(2025, 12, 1, 0, 0, tzinfo=UTC)


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends on or after"):
        Period(date(2026, 5, 1), date(2026, 4, 30))


def test_a_pseudonym_is_stable_for_one_key_and_different_for_another() -> None:
    one, other = b"k" * 32, b"q" * 32
    assert pseudonym(one, "person", 7) == pseudonym(one, "person", 7)
    assert pseudonym(one, "person", 7) != pseudonym(other, "person", 7)
    assert pseudonym(one, "person", 7) != pseudonym(one, "person", 8)
    assert pseudonym(one, "person", 7) != pseudonym(one, "appointment", 7)
    assert len(pseudonym(one, "person", 7)) == 32
