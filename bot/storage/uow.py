"""One unit of work per update, job or request: it rolls back unless committed."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Engine
from sqlmodel import Session


class UnitOfWork:
    """A database session whose changes last only if the service layer commits them.

    Store functions take ``uow.session`` and never commit; services call ``commit()``.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("a unit of work is used outside its 'with' block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = Session(self._engine, expire_on_commit=False)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # close() rolls back what was not committed, and leaves loaded objects readable.
        self.session.close()
        self._session = None

    def commit(self) -> None:
        self.session.commit()

    def flush(self) -> None:
        self.session.flush()


UnitOfWorkFactory = Callable[[], UnitOfWork]
