"""Looking for words left in a database after an erasure, in the bytes it keeps.

SQLite: every page of the file (and of its write-ahead log), after a checkpoint and a
VACUUM, so freed pages that still hold old rows are gone; what is found is really stored.
PostgreSQL: a `pg_dump` of the test's schema, rows and all, as a DBA would take it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel


def found_in_database(engine: Engine, url: str, needles: list[str]) -> list[str]:
    """The needles that occur anywhere in the database's stored bytes (any case)."""
    data = _sqlite_bytes(engine) if engine.dialect.name == "sqlite" else _pg_dump(url)
    lowered = data.lower()
    return [needle for needle in needles if needle.lower().encode("utf-8") in lowered]


def _sqlite_bytes(engine: Engine) -> bytes:
    database = engine.url.database
    assert database is not None
    path = Path(database)
    engine.dispose()  # no connection of the engine holds a page or a transaction
    connection = sqlite3.connect(path, isolation_level=None)  # no transaction: VACUUM runs
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    files = [path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))]
    return b"".join(p.read_bytes() for p in files if p.exists())


def _pg_dump(url: str) -> bytes:
    """The schema named in the URL's search_path option, dumped with pg_dump."""
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed (Debian's postgresql-client)"
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://"))
    options = unquote(parse_qs(parts.query).get("options", [""])[0])
    schema = re.search(r"search_path=(\S+)", options)
    assert schema, "a test database URL names its schema"
    plain = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    dumped = subprocess.run(
        [pg_dump, "--no-owner", "--schema", schema.group(1), plain],
        check=True,
        capture_output=True,
        env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
    )
    assert b"COPY" in dumped.stdout, "the dump holds the rows"
    return dumped.stdout


def rows_in_every_table(engine: Engine) -> dict[str, int]:
    """How many rows each table has (to show a report changed nothing)."""
    with engine.connect() as connection:
        return {
            table.name: int(
                connection.execute(select(func.count()).select_from(table)).scalar_one()
            )
            for table in SQLModel.metadata.sorted_tables
        }
