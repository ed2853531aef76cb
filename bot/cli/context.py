"""What every command needs: Waymark's core (the database up to date, the clock, the
content), and one way to report errors (a line on stderr and a non-zero exit)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import ParamSpec, TypeVar

import typer
from sqlalchemy.exc import OperationalError

from bot.composition import Core, build_core
from bot.content.library import ContentError
from bot.domain.errors import Invalid, WaymarkError
from bot.domain.localtime import parse_local
from bot.settings import SettingsError, load_settings
from bot.storage import UnitOfWork, committed
from bot.storage.migrate import upgrade

P = ParamSpec("P")
R = TypeVar("R")


def waymark(*, migrate: bool = True) -> Core:
    app = build_core(load_settings())  # `serve` completes it into a Waymark that runs
    if migrate:
        upgrade(app.engine)
        app.load_content()  # the files with the dashboard's edits over them
    return app


@contextmanager
def work(app: Core) -> Iterator[UnitOfWork]:
    """The command's one unit of work: committed once its work is done, rolled back
    (nothing kept) when it fails."""
    with committed(app.uow) as uow:
        yield uow


def when(text: str) -> datetime:
    """Parse --at on the London clock, as an Invalid error the user can read."""
    try:
        return parse_local(text)
    except ValueError as error:
        raise Invalid(str(error)) from None


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn our errors into one readable line on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (WaymarkError, SettingsError, ContentError) as error:
            typer.secho(f"Error: {error}", err=True, fg=typer.colors.RED)
            raise typer.Exit(1) from None
        except OperationalError as error:
            logging.getLogger(__name__).debug("database error", exc_info=error)
            typer.secho(
                f"Error: the database cannot be used: {error.orig}", err=True, fg=typer.colors.RED
            )
            raise typer.Exit(1) from None

    return wrapper
