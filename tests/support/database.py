"""Databases for tests: a SQLite file always, PostgreSQL when TEST_DATABASE_URL names one.

Each PostgreSQL test gets its own schema (dropped afterwards), so tests never see each
other's rows and the real migrations run every time.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, create_engine, text

from bot.settings import DatabaseSettings
from bot.storage import build_engine
from bot.storage.migrate import upgrade

BACKENDS = ["sqlite", "postgresql"]
# `pytestmark = ON_EVERY_DATABASE` runs a module's tests on each backend.
ON_EVERY_DATABASE = pytest.mark.parametrize("db_url", BACKENDS, indirect=True)


def postgres_url() -> str | None:
    raw = os.environ.get("TEST_DATABASE_URL")
    return DatabaseSettings(url=raw).url if raw else None


@contextmanager
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'waymark.db'}"
        return
    base = postgres_url()
    if base is None:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def migrated_engine(url: str) -> Engine:
    """An engine on a database at the newest migration. A new SQLite file starts as a copy
    of one migrated once per test run (the same migrations, run once: about a third of a
    second saved for each of hundreds of tests); upgrade() then finds nothing to do."""
    path = _sqlite_file(url)
    if path is not None and not path.exists():
        shutil.copyfile(_sqlite_template(), path)
    engine = build_engine(url)
    upgrade(engine)
    return engine


def _sqlite_file(url: str) -> Path | None:
    prefix = "sqlite:///"
    return Path(url.removeprefix(prefix)) if url.startswith(prefix) else None


@cache
def _sqlite_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="waymark-migrated-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "migrated.db"
    engine = build_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path
