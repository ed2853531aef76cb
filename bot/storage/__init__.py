"""Storage: the engine, the unit of work and the column types."""

from bot.storage.engine import build_engine
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory, committed

__all__ = ["UnitOfWork", "UnitOfWorkFactory", "build_engine", "committed"]
