"""What the benchmarks share: settings with the rate limits lifted, and people to send to."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr
from sqlmodel import select

from bot.composition import Waymark
from bot.domain.actor import Actor
from bot.models import ChannelLink, Consent, Person
from bot.services import accounts, appointments, people
from bot.services.appointments import NewAppointment
from bot.settings import (
    DatabaseSettings,
    SchedulerSettings,
    SendingSettings,
    Settings,
    TelegramSettings,
)
from bot.storage import committed
from tests.support.botapi import StandInBotAPI

START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
FRAMEWORKS = ("ptb", "aiogram")
COACH = "bench@waymark.test"


def settings(url: str, server: StandInBotAPI, framework: str) -> Settings:
    return Settings(
        database=DatabaseSettings(url=url),
        telegram=TelegramSettings(
            bot_token=SecretStr(server.token),
            api_url=server.url,
            framework=framework,
            poll_timeout=1,
        ),
        sending=SendingSettings(per_second=1e6, per_chat_per_second=1e6),
        scheduler=SchedulerSettings(batch_size=200, tick_seconds=3600),
    )


def chat_id(n: int, round_no: int, i: int) -> int:
    return 100_000 + round_no * n + i


def fill(app: Waymark, n: int, round_no: int) -> None:
    """n linked people who agreed, each with one reminder due at the clock's time."""
    clock = app.clock
    if round_no == 0:
        with committed(app.uow) as uow:
            accounts.add_account(uow, clock, email=COACH, name="Bench")
    for i in range(n):
        ref = f"B{round_no}-{i:05d}"
        with committed(app.uow) as uow:
            people.add_person(
                uow, clock, ref=ref, name="Sam", borough="Camden", coach_email=COACH, leads="1h"
            )
        with app.uow() as uow:
            person = uow.session.exec(select(Person).where(Person.ref == ref)).one()
            person.consent = Consent.GIVEN
            uow.session.add(
                ChannelLink(
                    channel="telegram",
                    chat_id=str(chat_id(n, round_no, i)),
                    person_id=person.id,
                    linked_at=clock.now(),
                )
            )
            uow.commit()
        with committed(app.uow) as uow:
            appointments.add(
                uow,
                clock,
                ref,
                NewAppointment(clock.now() + timedelta(hours=2), "Camberwell Office", "Jo"),
                actor=Actor.cli(),
            )
    clock.advance(hours=1)  # type: ignore[attr-defined]


def run_everywhere(run: Callable[[str, str, int], Coroutine[Any, Any, None]]) -> None:
    """`python -m bench.X [N]`: run(backend, framework, n) on SQLite (and PostgreSQL when
    TEST_DATABASE_URL is set), for each framework, each in its own event loop."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
    for backend in backends:
        for framework in FRAMEWORKS:
            asyncio.run(run(backend, framework, n))
