"""Bringing a database up to date: Alembic runs unless the database is at the newest
revision already, which is told apart without importing Alembic (bot/storage/migrate.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import Session

from bot.models import Account, AuditEntry, Person
from bot.storage import build_engine
from bot.storage.migrate import MigrationFileError, alembic_config, applied, heads, upgrade
from tests.support.database import ON_EVERY_DATABASE

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_the_heads_read_from_the_files_are_alembics() -> None:
    alembic = ScriptDirectory.from_config(alembic_config())
    assert heads() == frozenset(alembic.get_heads())


def test_branches_that_join_have_one_head(tmp_path: Path) -> None:
    files = {
        "a.py": 'revision: str = "a"\ndown_revision: str | None = None\n',
        "b1.py": 'revision = "b1"\ndown_revision = "a"\n',
        "b2.py": 'revision = "b2"\ndown_revision = "a"\n',
        "c.py": 'revision: str = "c"\ndown_revision = ("b1", "b2")  # joins both\n',
    }
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    assert heads(tmp_path) == {"c"}
    (tmp_path / "c.py").unlink()
    assert heads(tmp_path) == {"b1", "b2"}


def test_a_migration_without_a_plain_revision_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "odd.py").write_text("revision = make_id()\ndown_revision = None\n")
    with pytest.raises(MigrationFileError, match=r"odd\.py has no revision"):
        heads(tmp_path)


@ON_EVERY_DATABASE
def test_an_older_database_is_brought_up_to_date(db_url: str) -> None:
    engine = build_engine(db_url)
    try:
        assert applied(engine) == frozenset()  # before the first migration: no table
        upgrade(engine, "0004")
        assert applied(engine) == {"0004"}
        upgrade(engine)
        assert applied(engine) == heads()
        upgrade(engine)  # at the heads: nothing to do, and nothing goes wrong
        assert applied(engine) == heads()
    finally:
        engine.dispose()


def test_the_migrations_are_one_line() -> None:
    """Two branches' migrations that both revise the same one leave two heads: the second
    merged must be chained after the first (or an Alembic merge revision added)."""
    assert len(heads()) == 1, sorted(heads())


@ON_EVERY_DATABASE
def test_new_person_entries_lose_the_case_reference(db_url: str) -> None:
    """0014: "new person <REF>" entries name the person by id, so erasure finds them."""
    engine = build_engine(db_url)
    try:
        upgrade(engine, "0013_second_factor")
        with Session(engine) as session:  # the models match the tables at 0013
            coach = Account(email="p@x.org", name="Priya", created_at=AT)
            session.add(coach)
            session.flush()
            assert coach.id is not None
            person = Person(
                ref="IOM-7",
                preferred_name="Sam",
                borough="Southwark",
                coach_id=coach.id,
                created_at=AT,
            )
            session.add(person)
            session.flush()
            for subject in ("new person IOM-7", "new person IOM-GONE", "caseload"):
                session.add(AuditEntry(at=AT, action="change", subject=subject, via="web"))
            session.commit()
            person_id = person.id
        upgrade(engine)
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT subject, person_id FROM audit_entry ORDER BY id")
            ).all()
        assert [tuple(row) for row in rows] == [
            ("new person", person_id),
            ("new person", None),  # the person is gone: the reference goes all the same
            ("caseload", None),
        ]
    finally:
        engine.dispose()
