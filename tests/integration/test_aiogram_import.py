"""aiogram imported with its types' validators deferred (bot/channels/telegram/
aiogram_import.py) still does the whole job: in a fresh interpreter, where composition
imports aiogram first, a person is onboarded over long polling and a reminder goes out
with its buttons. (In this test process aiogram was imported long ago, fully built.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_aiogram_with_deferred_types_onboards_and_sends(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.aiogram_fresh", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == [
        "deferred at import",
        "onboarding answered",
        "reminder sent with buttons",
    ]
