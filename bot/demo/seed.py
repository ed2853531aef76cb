"""The demo's database: made once (three months replayed in one transaction), found again
at the next start, made again with `fresh`. It only ever fills a database that is empty
or holds the demo already, so it cannot mix with real people's data."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import partial
from random import Random

from sqlalchemy import Engine, func
from sqlmodel import Session, SQLModel, col, select

from bot.content.library import ContentLibrary
from bot.demo.history import HISTORY_DAYS, History
from bot.demo.people import ACCOUNTS, MANAGER, PEOPLE, DemoAccount
from bot.demo.replay import Replay
from bot.demo.story import Story
from bot.domain.clock import Clock
from bot.domain.errors import Invalid
from bot.domain.localtime import local
from bot.models import Account, ChannelLink, Format, Person
from bot.services.webchat import CHANNEL
from bot.storage import UnitOfWork, committed

QUIET_LOGS = ("bot.conversation.service",)
SEED = 20260515  # the same dice every time: two demos made on one day are the same


class Found(StrEnum):
    EMPTY = "empty"
    DEMO = "demo"
    OTHER = "other"  # someone's real data, or another test's: never touched


@dataclass(frozen=True)
class Phone:
    """A person's web chat: their phone in the browser."""

    name: str
    format: Format
    chat_id: str


@dataclass(frozen=True)
class Demo:
    made_now: bool  # False: found, as an earlier start left it
    made_on: date
    people: int
    logins: tuple[DemoAccount, ...]
    phones: tuple[Phone, ...]


def prepare(engine: Engine, clock: Clock, content: ContentLibrary, *, fresh: bool = False) -> Demo:
    """The demo in this database: found, or made now (with `fresh`, made again)."""
    found = look(engine)
    if found is Found.OTHER:
        raise Invalid(
            "this database holds data that is not the demo, and the demo never mixes with "
            "it: unset DATABASE_URL to use var/demo.db, or name an empty database"
        )
    if fresh and found is Found.DEMO:
        wipe(engine)
        found = Found.EMPTY
    if found is Found.EMPTY:
        make(engine, clock, content)
    return summary(engine, made_now=found is Found.EMPTY)


def look(engine: Engine) -> Found:
    with Session(engine) as session:
        if session.exec(select(Account.id).where(Account.email == MANAGER.email)).first():
            return Found.DEMO
        anyone = session.exec(select(Account.id)).first() or session.exec(select(Person.id)).first()
        return Found.OTHER if anyone else Found.EMPTY


def make(engine: Engine, clock: Clock, content: ContentLibrary, seed: int = SEED) -> None:
    """Replay the demo's three months up to now, and commit them at once."""
    now = clock.now()
    with committed(partial(UnitOfWork, engine)) as work, _quiet(QUIET_LOGS):
        History(Story(Replay(work, content, now), Random(seed), local(now).date())).play()


@contextmanager
def _quiet(names: tuple[str, ...]) -> Iterator[None]:
    """The replay's presses are history, not updates: they are not logged as they are."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def wipe(engine: Engine) -> None:
    """Every row of every table, in one transaction (the schema and its version stay)."""
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())


def summary(engine: Engine, *, made_now: bool) -> Demo:
    with Session(engine) as session:
        manager = session.exec(select(Account).where(Account.email == MANAGER.email)).one()
        made_on = local(manager.created_at).date() + timedelta(days=HISTORY_DAYS)
        people = session.exec(select(func.count()).select_from(Person)).one()
        phones = []
        for sketch in (s for s in PEOPLE if s.phone):
            found = session.exec(
                select(Person, ChannelLink.chat_id)
                .join(ChannelLink, col(ChannelLink.person_id) == col(Person.id))
                .where(Person.ref == sketch.ref, ChannelLink.channel == CHANNEL)
            ).first()
            if found is not None:
                person, chat_id = found
                phones.append(Phone(person.preferred_name, person.format, chat_id))
    return Demo(made_now, made_on, int(people), ACCOUNTS, tuple(phones))
