"""Applying the Alembic migrations from code (`waymark db upgrade`, `waymark serve`, and
every other command, which first brings the database up to date).

Alembic takes about as long to import as SQLAlchemy itself, so a database that is at the
newest revision already is told apart without it: the revisions it holds (the
`alembic_version` table) against the heads of migrations/versions, read from each file's
`revision` and `down_revision` (tests/integration/test_migrate.py holds this reading to
Alembic's own). Any other database, or any other target, goes through Alembic.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
VERSION_TABLE = "alembic_version"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    if revision == "heads" and applied(engine) == heads():
        return  # up to date: nothing for Alembic to do
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def applied(engine: Engine) -> frozenset[str]:
    """The revisions the database is at; none before its first migration."""
    # A read: on SQLite it need not wait for the write lock (bot/storage/engine.py).
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return frozenset()
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))  # noqa: S608 - a constant
        return frozenset(rows.scalars())


def heads(versions: Path = MIGRATIONS / "versions") -> frozenset[str]:
    """The revisions in `versions` that no other revision comes after."""
    revisions: set[str] = set()
    before: set[str] = set()
    for path in versions.glob("*.py"):
        names = _assignments(path)
        revision, down = names.get("revision"), names.get("down_revision")
        if not isinstance(revision, str):
            raise MigrationFileError(f"{path.name} has no revision = '...' line")
        revisions.add(revision)
        if isinstance(down, str):
            before.add(down)
        elif isinstance(down, tuple):
            before.update(str(each) for each in down)
    return frozenset(revisions - before)


class MigrationFileError(ValueError):
    """A migration file that does not name its revision as a plain string."""


def _assignments(path: Path) -> dict[str, object]:
    """The module-level `name = literal` and `name: type = literal` lines of a file."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets: list[ast.expr]
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        elif isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    found[target.id] = ast.literal_eval(value)
                except ValueError:  # not a literal (a call, a name): not a revision
                    continue
    return found
