"""Storage on every database: the migrations build exactly the models' schema, times
come back aware UTC, and the outbox key stops a reminder being written twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import SQLModel, select

import bot.models  # noqa: F401 - every table on the metadata
from bot.models import Account, OutboxMessage
from bot.services import outbox
from bot.storage import UnitOfWork
from tests.support.database import ON_EVERY_DATABASE

pytestmark = ON_EVERY_DATABASE
NOW = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_times_come_back_aware_utc(engine: Engine) -> None:
    summer = datetime(2026, 7, 1, 9, 0, tzinfo=timezone(timedelta(hours=1)))  # BST wall clock
    with UnitOfWork(engine) as uow:
        uow.session.add(Account(email="a@b.org", name="A", created_at=summer))
        uow.commit()
    with UnitOfWork(engine) as uow:
        coach = uow.session.exec(select(Account)).one()
    assert coach.created_at == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert coach.created_at.tzinfo == UTC


def test_a_naive_time_is_refused(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        uow.session.add(Account(email="a@b.org", name="A", created_at=datetime(2026, 1, 1)))  # noqa: DTZ001
        with pytest.raises(StatementError, match="naive datetime"):
            uow.commit()


def test_work_not_committed_is_rolled_back(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        uow.session.add(Account(email="a@b.org", name="A", created_at=NOW))
        uow.flush()
    with UnitOfWork(engine) as uow:
        assert uow.session.exec(select(Account)).all() == []


def test_the_outbox_key_is_unique(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        for _ in range(2):  # enqueue is idempotent
            outbox.enqueue(
                uow.session,
                key="k",
                kind="reminder",
                content_key="reminder_soon",
                due_at=NOW,
                created_at=NOW,
            )
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert len(uow.session.exec(select(OutboxMessage)).all()) == 1
        uow.session.add(
            OutboxMessage(key="k", kind="reminder", content_key="x", due_at=NOW, created_at=NOW)
        )
        with pytest.raises(IntegrityError):
            uow.commit()
