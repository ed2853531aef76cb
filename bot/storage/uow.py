"""One unit of work per update, job or request: it rolls back unless committed.

Services take a unit of work (or its session) and never commit; the entry point that
opened it (a web request, one conversation update, one command, one scheduler job)
commits once, with `committed`. What must happen only once the changes last (waking the
dispatcher for a message just queued, say) is given to `after_commit`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Engine
from sqlmodel import Session


class UnitOfWork:
    """A database session whose changes last only if the entry point commits them."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._session: Session | None = None
        self._after: list[Callable[[], object]] = []

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("a unit of work is used outside its 'with' block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = Session(self._engine, expire_on_commit=False)
        self._after = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # close() rolls back what was not committed, and leaves loaded objects readable.
        self._after = []
        self.session.close()
        self._session = None

    def after_commit(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the next commit has succeeded; a rollback drops it."""
        self._after.append(callback)

    def commit(self) -> None:
        self.session.commit()
        callbacks, self._after = self._after, []
        for callback in callbacks:
            callback()

    def rollback(self) -> None:
        """Undo what this unit has done so far, and go on in a fresh transaction."""
        self.session.rollback()
        self._after = []

    def flush(self) -> None:
        self.session.flush()


UnitOfWorkFactory = Callable[[], UnitOfWork]


@contextmanager
def committed(factory: UnitOfWorkFactory) -> Iterator[UnitOfWork]:
    """An entry point's one unit of work: committed when the block ends, rolled back
    (with its after-commit callbacks dropped) when it raises."""
    with factory() as uow:
        yield uow
        uow.commit()
    # On an error the block leaves before the commit, and closing the session rolls the
    # transaction back; unlike rollback(), closing leaves loaded rows readable (the error
    # page still names the account).
