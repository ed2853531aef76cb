"""`waymark` imports only what a command uses: after `waymark --help` and `waymark
appointment list`, with a Telegram token set and TELEGRAM_FRAMEWORK=aiogram (a
production `.env`), no Telegram framework, no web stack and no media library has been
loaded, and neither has Alembic when the database is up to date. Each run is a fresh
interpreter, as a coach's is; how long it takes is bench/cli_startup.py's to measure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import Cli, future

ROOT = Path(__file__).resolve().parents[2]
NEVER = [
    "aiogram",  # Telegram frameworks: only `serve` and `demo` run one
    "telegram",
    "fastapi",  # the web stack: only `serve` and `demo`
    "starlette",
    "uvicorn",
    "jinja2",
    "av",  # media: only when a voice note or a card is made
    "PIL",
    "gtts",
    "alembic",  # migrations: only when the database is behind
]
PROBE = """
import json, sys
from typer.testing import CliRunner
from bot.cli import app

runner = CliRunner()
help_ = runner.invoke(app, ["--help"])
listed = runner.invoke(app, ["appointment", "list", "IOM-0042"])
never = json.loads(sys.argv[1])
loaded = sorted(name for name in never if name in sys.modules)
print(json.dumps([help_.exit_code, help_.stdout, listed.exit_code, listed.stdout, loaded]))
"""


def test_help_and_a_list_import_no_framework_web_or_media(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(tmp_path, monkeypatch).with_person("IOM-0042")
    at = future()
    cli.ok("appointment", "add", "IOM-0042", "--at", at, "--place", "Camberwell", "--with", "Jo")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": "123456:MADE-UP-NEVER-USED",
        "TELEGRAM_FRAMEWORK": "aiogram",
    }
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(NEVER)],
        cwd=tmp_path,  # no .env of ours is read from here
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    help_code, help_out, list_code, list_out, loaded = json.loads(probe.stdout)
    assert (help_code, list_code) == (0, 0), (help_out, list_out)
    assert "appointment" in help_out
    assert "outbox" in help_out
    assert at in list_out
    assert "Camberwell (with Jo)" in list_out
    assert loaded == []
