"""Rows as the database keeps them: the id of a row that has been written.

A table's `id` is `int | None` because a row has none until it is flushed; code that
reads rows back from the database takes their ids through `saved_id`, which says so in
words when a row that was never written turns up (a bug, not bad input)."""

from __future__ import annotations

from typing import Protocol


class NotSaved(LookupError):
    """A row used as stored that has no id: it was never written to the database."""


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def saved_id(row: _Row) -> int:
    if row.id is None:
        raise NotSaved(f"this {type(row).__name__} was never saved, so it has no id")
    return row.id
