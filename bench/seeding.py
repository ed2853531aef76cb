"""A large, real-looking database for the benches that run `waymark serve` (memory, soak):
one person made through the services the CLI uses (linked on Telegram, consent given,
an appointment with its reminder), then copied row by row in bulk, so 10,000 people take
seconds, not minutes. Each copy has its own chat, appointment and reminder rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, delete, insert, select, text
from sqlmodel import SQLModel

from bot.composition import Core
from bot.domain.actor import Actor
from bot.models import Consent, Person
from bot.services import accounts, appointments, people
from bot.services.appointments import NewAppointment
from bot.storage import committed

COACH = "bench@waymark.test"
FIRST_CHAT = 200_000
CHUNK = 2_000


def chat_of(i: int) -> int:
    """Person i's Telegram chat."""
    return FIRST_CHAT + i


def person_of(chat_id: int) -> int:
    return chat_id - FIRST_CHAT


def seed(
    core: Core,
    count: int,
    reminders: Callable[[int], Sequence[datetime]],
) -> None:
    """`count` people (0 .. count-1), person i with one appointment and a reminder due at
    each time `reminders(i)` gives (pending), all to chat `chat_of(i)`."""
    clock = core.clock
    with committed(core.uow) as uow:
        accounts.add_account(uow, clock, email=COACH, name="Bench")
    with committed(core.uow) as uow:
        template = people.add_person(
            uow, clock, ref="S-000000", name="Sam", borough="Camden", coach_email=COACH, leads="1h"
        )
    with committed(core.uow) as uow:
        person = uow.session.get(Person, template.id)
        assert person is not None
        person.consent = Consent.GIVEN
        uow.session.add(person)
    with committed(core.uow) as uow:
        starts = clock.now() + timedelta(days=30)
        appointments.add(
            uow,
            clock,
            "S-000000",
            NewAppointment(starts, "Camberwell Office", "Jo"),
            actor=Actor.cli(),
        )
    engine = core.engine
    tables = SQLModel.metadata.tables
    with engine.begin() as connection:
        person_row = _row(connection, tables["person"], "id", template.id)
        appointment_row = _row(connection, tables["appointment"], "person_id", template.id)
        reminder = _row(connection, tables["outbox"], "appointment_id", appointment_row["id"])
        for table, key, value in (
            ("outbox", "appointment_id", appointment_row["id"]),
            ("appointment", "id", appointment_row["id"]),
            ("person", "id", template.id),
        ):
            connection.execute(delete(tables[table]).where(tables[table].c[key] == value))
    base = int(template.id or 0)
    for start in range(0, count, CHUNK):
        block = range(start, min(start + CHUNK, count))
        _copy(engine, block, base, person_row, appointment_row, reminder, reminders, clock.now())
    _catch_up_sequences(engine)


def _row(connection: Any, table: Table, key: str, value: Any) -> dict[str, Any]:
    found = connection.execute(select(table).where(table.c[key] == value).limit(1))
    return dict(found.mappings().one())


def _copy(
    engine: Engine,
    block: range,
    base: int,
    person_row: dict[str, Any],
    appointment_row: dict[str, Any],
    reminder: dict[str, Any],
    reminders: Callable[[int], Sequence[datetime]],
    now: datetime,
) -> None:
    persons, links, appointments_, rows = [], [], [], []
    for i in block:
        person_id = base + i
        persons.append(person_row | {"id": person_id, "ref": f"S-{i:06d}"})
        links.append(
            {
                "channel": "telegram",
                "chat_id": str(chat_of(i)),
                "person_id": person_id,
                "linked_at": now,
            }
        )
        dues = reminders(i)
        last = max(dues) if dues else now
        appointments_.append(
            appointment_row
            | {"id": person_id, "person_id": person_id, "starts_at": last + timedelta(hours=1)}
        )
        for j, due in enumerate(dues):
            fields = {k: v for k, v in reminder.items() if k != "id"}
            rows.append(
                fields
                | {
                    "key": f"bench:{i}:{j}",
                    "person_id": person_id,
                    "appointment_id": person_id,
                    "due_at": due,
                    "created_at": now,
                }
            )
    tables = SQLModel.metadata.tables
    with engine.begin() as connection:
        connection.execute(insert(tables["person"]), persons)
        connection.execute(insert(tables["channel_link"]), links)
        connection.execute(insert(tables["appointment"]), appointments_)
        if rows:
            connection.execute(insert(tables["outbox"]), rows)


def _catch_up_sequences(engine: Engine) -> None:
    """Rows given their ids by hand leave PostgreSQL's sequences behind: move them on."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        for table in ("person", "appointment", "channel_link", "outbox"):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
            )
