"""How a pairing code may be typed: six digits, as read out or written down."""

from __future__ import annotations

import pytest

from bot.services import pairing


@pytest.mark.parametrize(
    "typed", ["483 219", "483219", "483-219", "483.219", " 483  219 ", "483\u00a0219"]
)
def test_six_digits_in_the_ways_people_type_them(typed: str) -> None:
    assert pairing.digits_of(typed) == "483219"


@pytest.mark.parametrize(
    "typed",
    ["", "48321", "4832190", "48 3219", "483 2l9", "٤٨٣٢١٩", "483 219 0", "abc def", "483_219"],
)
def test_anything_else_is_not_a_pairing_code(typed: str) -> None:
    assert pairing.digits_of(typed) is None


def test_shown_in_two_threes() -> None:
    assert pairing.shown("007042") == "007 042"
