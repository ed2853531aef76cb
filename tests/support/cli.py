"""The `waymark` command line as a coach types it, in-process, on a SQLite file of the
test's own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.domain.localtime import local

COACH = "priya@example.org"


class Cli:
    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
        monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "waymark_pilot_bot")
        monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
        self.runner = CliRunner()

    def ok(self, *args: str) -> str:
        result = self.runner.invoke(app, list(args))
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result.stdout

    def fails(self, *args: str) -> str:
        result = self.runner.invoke(app, list(args))
        assert result.exit_code != 0, (args, result.output)
        assert "Traceback" not in result.output
        return result.stderr

    def with_person(
        self, ref: str, borough: str = "Southwark", coach: str = "Priya@Example.org"
    ) -> Cli:
        """A coach (Priya) and one person on her caseload, added as a coach would."""
        self.ok("coach", "add", "--email", coach, "--name", "Priya")
        self.ok(
            "person", "add", "--ref", ref, "--name", "Sam", "--borough", borough, "--coach", COACH
        )
        return self


def future(days: int = 2, hour: int = 10) -> str:
    """A London date and time `days` ahead, as typed after --at."""
    moment = local(datetime.now(UTC) + timedelta(days=days))
    return f"{moment:%Y-%m-%d} {hour:02d}:00"
