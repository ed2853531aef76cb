"""The update ids the webhook has taken in: remembered for a day, so that an update
Telegram posts twice is handled once, by whichever worker got it first."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from bot.models import SeenUpdate

# Telegram retries an unanswered update for well under a day; ids are not reused sooner.
KEEP = timedelta(days=1)


def remember(session: Session, update_id: int, now: datetime) -> bool:
    """Record `update_id`; False when it was recorded before. One INSERT that does
    nothing on a clash, so two workers racing on one id cannot both win."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(SeenUpdate)
        .values(update_id=update_id, received_at=now)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(col(SeenUpdate.update_id))
    )
    return session.execute(statement).first() is not None


def forget_old(session: Session, now: datetime) -> None:
    """Drop ids older than KEEP."""
    session.execute(delete(SeenUpdate).where(col(SeenUpdate.received_at) < now - KEEP))
