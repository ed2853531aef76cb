"""The data map in docs/data-protection.md names every table and column the database has.

A new column of personal data cannot slip in unmapped: every column of every table must
have its line, with a kind, a purpose, who sees it and how long it is kept; a line for a
column that no longer exists fails too, so the map stays true in both directions.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import bot.models  # noqa: F401  (registers every table on the metadata)

DATA_MAP = Path(__file__).resolve().parents[2] / "docs" / "data-protection.md"
KINDS = {"special", "criminal", "personal", "staff", "words", "key", "none"}
ROW = re.compile(r"^\|\s*`(?P<table>\w+)\.(?P<column>\w+)`\s*\|(?P<rest>.*)\|\s*$")


def mapped_rows(text: str) -> dict[tuple[str, str], list[str]]:
    rows: dict[tuple[str, str], list[str]] = {}
    for line in text.splitlines():
        match = ROW.match(line)
        if match is None:
            continue
        key = (match["table"], match["column"])
        if key in rows:
            raise AssertionError(f"{key[0]}.{key[1]} is mapped twice")
        rows[key] = [cell.strip() for cell in match["rest"].split("|")]
    return rows


def database_columns() -> set[tuple[str, str]]:
    return {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
    }


@pytest.fixture(scope="module")
def rows() -> dict[tuple[str, str], list[str]]:
    return mapped_rows(DATA_MAP.read_text(encoding="utf-8"))


def test_every_column_of_the_database_has_its_line(rows: dict[tuple[str, str], list[str]]) -> None:
    missing = sorted(f"{t}.{c}" for t, c in database_columns() - rows.keys())
    assert missing == [], f"add these to docs/data-protection.md: {missing}"


def test_every_line_names_a_column_that_exists(rows: dict[tuple[str, str], list[str]]) -> None:
    stale = sorted(f"{t}.{c}" for t, c in rows.keys() - database_columns())
    assert stale == [], f"these are mapped but not in the database: {stale}"


def test_every_line_says_kind_purpose_who_and_how_long(
    rows: dict[tuple[str, str], list[str]],
) -> None:
    for (table, column), cells in rows.items():
        assert len(cells) == 4, f"{table}.{column}: kind, purpose, who sees it, retention"
        kind, purpose, who, retention = cells
        assert kind in KINDS, f"{table}.{column}: unknown kind {kind!r}"
        assert all((purpose, who, retention)), f"{table}.{column} has an empty cell"


def test_a_new_unmapped_column_is_caught() -> None:
    text = DATA_MAP.read_text(encoding="utf-8")
    without = "\n".join(line for line in text.splitlines() if "`person.preferred_name`" not in line)
    assert ("person", "preferred_name") in database_columns() - mapped_rows(without).keys()


def test_a_line_mapped_twice_is_refused() -> None:
    line = "| `person.ref` | criminal | x | coach | forever |"
    with pytest.raises(AssertionError, match="mapped twice"):
        mapped_rows(f"{line}\n{line}")
