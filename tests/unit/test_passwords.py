"""The password rule alone: 12 to 200 characters, no space at either end, and not in (or
built from) zxcvbn's list of common and breached passwords, whatever the case."""

from __future__ import annotations

import pytest

from bot.domain.errors import Invalid
from bot.services.passwords import check_password, is_common


@pytest.mark.parametrize(
    "password",
    ["qwerty123456", "QWERTY123456", "1qaz2wsx3edc", "passwordpassword", "Iloveyou2024!", "a" * 12],
)
def test_common_and_breached_passwords_are_refused(password: str) -> None:
    assert is_common(password)
    with pytest.raises(Invalid, match="too common"):
        check_password(password)


@pytest.mark.parametrize(
    "password", ["correct horse battery", "three blue boats at dawn", "Tr0ub4dor&3xx"]
)
def test_long_uncommon_passwords_pass(password: str) -> None:
    assert check_password(password) == password


@pytest.mark.parametrize(
    ("password", "said"),
    [("eleven char", "12 to 200"), ("x" * 201, "12 to 200"), (" padded password", "space")],
)
def test_length_and_spaces_come_first(password: str, said: str) -> None:
    with pytest.raises(Invalid, match=said):
        check_password(password)


def test_a_long_password_is_judged_without_error() -> None:
    long = ("river stone lantern " * 9).strip()  # 179 characters: past zxcvbn's limit of 72
    assert check_password(long) == long
