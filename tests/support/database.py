"""Databases for tests: a SQLite file always, PostgreSQL when TEST_DATABASE_URL names one.

Each PostgreSQL test gets its own schema (dropped afterwards), so tests never see each
other's rows and the real migrations run every time.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
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
    engine = build_engine(url)
    upgrade(engine)
    return engine
