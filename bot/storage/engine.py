"""Building the database engine the same way for SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url


def build_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine with sane defaults for each backend.

    SQLite: the folder is created, WAL lets readers work while a write is under way,
    foreign keys are on, and every transaction starts with ``BEGIN IMMEDIATE`` that
    SQLAlchemy controls (pysqlite's own transaction handling is switched off). Immediate
    matters: a deferred transaction that reads and then writes fails at once with
    "database is locked" when another writer got in between (the busy timeout cannot
    help it), while an immediate one waits its turn. ``sqlite_begin`` may ask for another
    mode per connection.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if parsed.database and parsed.database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine
