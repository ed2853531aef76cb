"""The import-linter contracts in pyproject.toml keep the layers: a wrong import is a red
run. These tests run the real `lint-imports` on a copy of the tree with one import added
against a contract, and show that it fails and names the import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "scheduler", "web")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_of_the_tree(into: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            into / package,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static"),
        )
    shutil.copy(ROOT / "pyproject.toml", into / "pyproject.toml")
    return into


def _lint(tree: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    chosen = [argument for contract in contracts for argument in ("--contract", contract)]
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *chosen],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _add_import(module: Path, line: str) -> None:
    text = module.read_text()
    marker = "from __future__ import annotations\n"
    assert marker in text, f"{module} has no __future__ import to add the line after"
    module.write_text(text.replace(marker, marker + line + "\n", 1))


@pytest.mark.parametrize(
    ("module", "line", "contract", "named"),
    [
        (
            "bot/flows/mood.py",
            "import sqlmodel  # noqa",
            "pure",
            "bot.flows.mood -> sqlmodel",
        ),
        (
            "bot/domain/localtime.py",
            "import telegram  # noqa",
            "pure",
            "bot.domain.localtime -> telegram",
        ),
        (
            "bot/services/people.py",
            "import web.auth  # noqa",
            "web-from-entry",
            "bot.services.people -> web.auth",
        ),
        (
            "bot/flows/mood.py",
            "import bot.services.people  # noqa",
            "layers",
            "bot.flows.mood -> bot.services.people",
        ),
        (
            "bot/services/people.py",
            "import scheduler.runner  # noqa",
            "layers",
            "bot.services.people -> scheduler.runner",
        ),
    ],
)
def test_an_import_against_a_contract_fails_the_lint(
    tmp_path: Path, module: str, line: str, contract: str, named: str
) -> None:
    tree = _copy_of_the_tree(tmp_path)
    before = _lint(tree, contract)
    assert before.returncode == 0, before.stdout + before.stderr

    _add_import(tree / module, line)
    after = _lint(tree, contract)

    assert after.returncode != 0
    assert "BROKEN" in after.stdout
    assert named in after.stdout


def test_the_tree_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
