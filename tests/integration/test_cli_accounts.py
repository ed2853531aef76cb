"""`waymark coach add --password-stdin`, `waymark coach password` and `waymark coach
reset-2fa`, as an admin types them: the password rules (12 characters or more, not a
common or breached one) and a second factor turned off for someone who lost their phone,
in the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from bot.cli import app
from tests.support.cli import Cli

EMAIL = "ola@example.org"
GOOD = "a quiet walk to the river"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(tmp_path, monkeypatch)


def _typed(*args: str, password: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=password + "\n")
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def _rows(tmp_path: Path, query: str) -> list[tuple[object, ...]]:
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text(query)).all()]
    engine.dispose()
    return rows


@pytest.mark.parametrize(
    ("password", "said"),
    [
        ("short one", "12 to 200 characters"),
        ("passwordpassword", "too common"),
        ("qwerty123456", "too common"),  # in the list itself
        ("Iloveyou1234", "too common"),  # a listed password and digits, any case
    ],
)
def test_coach_add_refuses_a_short_or_common_password(
    cli: Cli, tmp_path: Path, password: str, said: str
) -> None:
    add = ("coach", "add", "--email", EMAIL, "--name", "Ola", "--role", "admin")
    code, _, err = _typed(*add, "--password-stdin", password=password)
    assert code != 0
    assert said in err
    cli.ok("db", "upgrade")
    assert _rows(tmp_path, "SELECT email FROM coach") == []


def test_coach_password_follows_the_same_rule(cli: Cli, tmp_path: Path) -> None:
    add = ("coach", "add", "--email", EMAIL, "--name", "Ola", "--password-stdin")
    assert _typed(*add, password=GOOD)[0] == 0
    before = _rows(tmp_path, "SELECT password_hash FROM coach")
    code, _, err = _typed("coach", "password", EMAIL, password="1q2w3e4r5t6y7u8i")
    assert code != 0
    assert "too common" in err
    assert _rows(tmp_path, "SELECT password_hash FROM coach") == before
    code, out, _ = _typed("coach", "password", EMAIL, password="another long walk home")
    assert code == 0
    assert f"password set for {EMAIL}" in out
    assert _rows(tmp_path, "SELECT password_hash FROM coach") != before


def test_reset_2fa_turns_it_off_ends_sessions_and_is_audited(cli: Cli, tmp_path: Path) -> None:
    cli.ok("coach", "add", "--email", EMAIL, "--name", "Ola", "--role", "manager")
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE coach SET totp_secret = 'JBSWY3DPEHPK3PXP', totp_on_at = :at, "
                "totp_last_step = 5"
            ),
            {"at": datetime(2026, 12, 1, tzinfo=UTC)},
        )
        connection.execute(
            text("INSERT INTO recovery_code (account_id, code_hash) SELECT id, 'x' FROM coach")
        )
    engine.dispose()
    out = cli.ok("coach", "reset-2fa", EMAIL.upper())
    assert f"second factor off for {EMAIL} (it was on)" in out
    assert _rows(
        tmp_path, "SELECT totp_secret, totp_on_at, totp_last_step, session_epoch FROM coach"
    ) == [(None, None, None, 1)]
    assert _rows(tmp_path, "SELECT count(*) FROM recovery_code") == [(0,)]
    assert _rows(tmp_path, "SELECT action, via FROM audit_entry WHERE action = '2fa-reset'") == [
        ("2fa-reset", "cli")
    ]
    assert "no coach with the email" in cli.fails("coach", "reset-2fa", "nobody@example.org")
