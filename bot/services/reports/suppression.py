"""Small-number suppression: which counts and rates a report may show.

Primary: a count under 5 (0 included: "none of the 7 people with autism in Barnet
attended" says something about each of them) is never shown.

Secondary, and why. No report shows a total, but totals can still be worked out: every
appointment-based report of one period and scope splits the same appointments (by month,
by format, by answer), so the sum of a column in one report is the sum of a column in
another. One hidden cell in a column whose total is known is then a subtraction away.
So each column of counts is treated as if its total were shown: when exactly one cell
in it is hidden, the smallest shown cell is hidden with it. Where the cells of a row add
up to a total another report shows (`row_groups`), the same goes for the row. This is
repeated until nothing changes, as hiding a cell for a column can leave a row with one.

Rates: a rate is numerator / denominator, and with the denominator (or the other counts
in the row) known, a rate gives back its numerator and what it leaves out. So a rate is
hidden when its numerator or the remainder (denominator - numerator) is under 5, or when
any count it is worked out from is hidden in the table.
"""

from __future__ import annotations

from collections.abc import Sequence

SMALL = 5


def too_small(count: int) -> bool:
    return count < SMALL


def suppress_counts(
    table: Sequence[Sequence[int]], row_groups: Sequence[Sequence[int]] = ()
) -> list[list[bool]]:
    """For a table of counts (rows of equal length), which cells to hide."""
    hidden = [[too_small(count) for count in row] for row in table]
    width = len(table[0]) if table else 0
    lines: list[list[tuple[int, int]]] = [[(r, c) for r in range(len(table))] for c in range(width)]
    lines += [[(r, c) for c in group] for r in range(len(table)) for group in row_groups]
    changed = True
    while changed:
        changed = False
        for line in lines:
            shown = [(table[r][c], r, c) for r, c in line if not hidden[r][c]]
            if len(line) - len(shown) == 1 and shown:
                _, r, c = min(shown)
                hidden[r][c] = True
                changed = True
    return hidden


def rate_hidden(numerator: int, denominator: int, *parts_hidden: bool) -> bool:
    """Whether a rate numerator / denominator must be hidden."""
    return too_small(numerator) or too_small(denominator - numerator) or any(parts_hidden)


def rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
