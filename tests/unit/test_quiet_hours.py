"""Quiet hours: the night window from a person's quiet time to 07:00 London time,
across the clock changes, and reading the setting."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from bot.domain.planner import parse_quiet_from, quiet_window
from tests.support.wall_clock import DEFAULT_22, london, utc

# quiet_window ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "window"),
    [
        (london(2026, 11, 25, 23, 0), (london(2026, 11, 25, 22, 0), london(2026, 11, 26, 7, 0))),
        (london(2026, 11, 26, 3, 0), (london(2026, 11, 25, 22, 0), london(2026, 11, 26, 7, 0))),
        (london(2026, 11, 25, 22, 0), (london(2026, 11, 25, 22, 0), london(2026, 11, 26, 7, 0))),
        (london(2026, 11, 26, 6, 59), (london(2026, 11, 25, 22, 0), london(2026, 11, 26, 7, 0))),
        (london(2026, 11, 26, 7, 0), None),
        (london(2026, 11, 25, 21, 59), None),
        (london(2026, 11, 25, 12, 0), None),
        # March: from Saturday 22:00 GMT to Sunday 07:00 BST, eight hours.
        (utc(2026, 3, 28, 23, 0), (utc(2026, 3, 28, 22, 0), utc(2026, 3, 29, 6, 0))),
        (utc(2026, 3, 29, 5, 59), (utc(2026, 3, 28, 22, 0), utc(2026, 3, 29, 6, 0))),
        (utc(2026, 3, 29, 6, 0), None),  # 07:00 BST
        # October: from Saturday 22:00 BST to Sunday 07:00 GMT, ten hours.
        (utc(2026, 10, 24, 21, 0), (utc(2026, 10, 24, 21, 0), utc(2026, 10, 25, 7, 0))),
        (utc(2026, 10, 25, 1, 30), (utc(2026, 10, 24, 21, 0), utc(2026, 10, 25, 7, 0))),
        (utc(2026, 10, 25, 6, 59), (utc(2026, 10, 24, 21, 0), utc(2026, 10, 25, 7, 0))),
        (utc(2026, 10, 24, 20, 59), None),  # 21:59 BST
    ],
)
def test_quiet_window_from_22_00(
    moment: datetime, window: tuple[datetime, datetime] | None
) -> None:
    assert quiet_window(moment, DEFAULT_22) == window


def test_quiet_window_from_21_00() -> None:
    assert quiet_window(london(2026, 11, 25, 21, 0), time(21, 0)) == (
        london(2026, 11, 25, 21, 0),
        london(2026, 11, 26, 7, 0),
    )
    assert quiet_window(london(2026, 11, 25, 20, 59), time(21, 0)) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("21:00", time(21, 0)), ("22:00", time(22, 0)), ("22", time(22, 0))],
)
def test_parse_quiet_from(value: str | None, expected: time | None) -> None:
    assert parse_quiet_from(value) == expected
