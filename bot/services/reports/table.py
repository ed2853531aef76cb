"""Laying out counted rows as cells, with the suppression rules applied."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.services.reports.model import Cell, ColumnKind
from bot.services.reports.suppression import rate, rate_hidden, suppress_counts

Row = tuple[Cell, ...]


@dataclass(frozen=True)
class RateOf:
    """A rate column: counts[numerator] / sum(counts[parts])."""

    numerator: int
    parts: tuple[int, ...]


def counted_rows(
    labels: Sequence[str],
    counts: Sequence[Sequence[int]],
    layout: Sequence[int | RateOf],
    row_groups: Sequence[Sequence[int]] = (),
) -> tuple[Row, ...]:
    """One row per label: the label, then each count (by index) or rate in `layout`."""
    hidden = suppress_counts(counts, row_groups)
    rows: list[Row] = []
    for label, row, row_hidden in zip(labels, counts, hidden, strict=True):
        cells = [Cell.label(label)]
        for item in layout:
            if isinstance(item, RateOf):
                denominator = sum(row[part] for part in item.parts)
                parts_hidden = (row_hidden[part] for part in item.parts)
                if rate_hidden(row[item.numerator], denominator, *parts_hidden):
                    cells.append(Cell.hidden(ColumnKind.RATE))
                else:
                    cells.append(Cell(ColumnKind.RATE, rate(row[item.numerator], denominator)))
            elif row_hidden[item]:
                cells.append(Cell.hidden(ColumnKind.COUNT))
            else:
                cells.append(Cell(ColumnKind.COUNT, row[item]))
        rows.append(tuple(cells))
    return tuple(rows)
