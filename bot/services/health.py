"""Whether the parts Waymark needs are working, for /healthz."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.storage import UnitOfWorkFactory

log = logging.getLogger(__name__)


def database_ok(uow: UnitOfWorkFactory) -> bool:
    """One round trip to the database."""
    try:
        with uow() as work:
            work.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("database check failed", extra={"error": type(error).__name__})
        return False
    return True
