"""What storage says when a row or a value is not what the code expects: a readable
error naming what was wrong, never a bare assert (python -O would skip those)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine

from bot.models import Account, OutboxMessage
from bot.storage.rows import NotSaved, saved_id
from bot.storage.types import UTCDateTime

WHEN = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def test_a_saved_row_gives_its_id() -> None:
    assert saved_id(Account(id=7, email="a@b.org", name="A", created_at=WHEN)) == 7


def test_a_row_never_saved_has_no_id_and_says_so() -> None:
    unsaved = OutboxMessage(
        key="k", kind="nudge", content_key="nudge", due_at=WHEN, created_at=WHEN
    )
    with pytest.raises(NotSaved, match="this OutboxMessage was never saved"):
        saved_id(unsaved)


@pytest.mark.parametrize("url", ["sqlite://", "postgresql+psycopg://"])
def test_a_date_and_time_column_that_holds_something_else_is_an_error(url: str) -> None:
    dialect = create_engine(url).dialect  # no connection is made
    column = UTCDateTime()
    assert column.process_result_value(datetime(2026, 11, 25, 10, 0), dialect) == WHEN  # noqa: DTZ001 - SQLite's naive UTC
    with pytest.raises(TypeError, match="the database gave str for a date and time"):
        column.process_result_value("2026-11-25 10:00", dialect)
