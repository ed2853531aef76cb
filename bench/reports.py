"""How long each report takes (its queries and its chart) over a year of engagement,
against a plain count of the same table in the same run.

    uv run python -m bench.reports [--people 1000] [--events 1000000] [--repeat 5]

A fresh database gets `--people` people (over every borough, format and category of
need, 20 coaches and one IOM staff member with 50 people) and `--events` engagement
events over the 12 months before the clock's time, with the appointments they belong to
(reminders sent, answered or not, attended or not). Rows go in with executemany in
batches (SQLite) or COPY (PostgreSQL). Each report is then built and drawn `--repeat`
times for everyone, for one coach's caseload and for the staff member's people; the
median is printed beside the median of `SELECT count(*) FROM engagement_event`, as a
ratio. On SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, text
from sqlmodel import Session

from bot.domain.boroughs import BOROUGHS
from bot.domain.localtime import at_local, local
from bot.models import (
    Account,
    Appointment,
    EngagementEvent,
    Need,
    NeedCategory,
    Person,
    Role,
    StaffAssignment,
)
from bot.services.reports import REPORTS, Period, Report, Scope, pseudonymised_events
from tests.support.database import database_url, migrated_engine
from web import charts

START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
COACHES = 20
STAFF_PEOPLE = 50
BATCH = 20_000
FORMATS = ("words", "words", "pictures", "voice")
ANSWERS = ("coming",) * 15 + ("late",) * 2 + ("cant_come",) * 2 + ("directions",)
# The rest of what people do, by weight, with the detail each kind carries.
OTHER_KINDS: tuple[tuple[str, int, dict[str, Any]], ...] = (
    ("message_sent", 30, {"kind": "nudge", "slot": None}),
    ("message_sent", 8, {"kind": "checkin", "slot": None}),
    ("in_button", 20, {}),
    ("in_text", 10, {}),
    ("in_command", 5, {"command": "next"}),
    ("checkin", 9, {"answer": "done"}),
    ("mood", 8, {"colour": "green"}),
    ("media_request", 5, {"format": "voice"}),
    ("snooze", 3, {"choice": "hour"}),
    ("calendar_file", 2, {}),
)
EVENT_COLUMNS = ("person_id", "kind", "appointment_id", "detail", "at")
Event = tuple[int, str, int | None, str, datetime]


def fill(engine: Engine, people: int, events: int, seed: int = 7) -> int:
    """Fill a migrated, empty database; return how many appointments it has."""
    rng = random.Random(seed)
    now = START
    with engine.begin() as connection:
        connection.execute(insert(Account), _accounts(now))
        connection.execute(insert(Person), _people(rng, people, now))
        connection.execute(insert(Need), _needs(rng, people, now))
        connection.execute(
            insert(StaffAssignment),
            [
                {"account_id": COACHES + 1, "person_id": p, "created_at": now}
                for p in range(1, STAFF_PEOPLE + 1)
            ],
        )
        per_person = max(1, min(48, round(events * 0.2 / 4.2 / people)))
        appointments, appointment_events = _appointments(rng, people, per_person)
        for batch in _batches(iter(appointments)):
            connection.execute(insert(Appointment), batch)
        rest = max(0, events - len(appointment_events))
        stream = _chain(iter(appointment_events[:events]), _other_events(rng, people, rest))
        _insert_events(connection, stream)
        if connection.dialect.name == "postgresql":
            for table in ("coach", "person", "appointment"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed names
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    return len(appointments)


def _accounts(now: datetime) -> list[dict[str, Any]]:
    accounts = [
        {"id": i, "email": f"coach{i}@bench.test", "name": f"Coach {i}", "role": Role.COACH}
        for i in range(1, COACHES + 1)
    ]
    accounts.append(
        {"id": COACHES + 1, "email": "staff@bench.test", "name": "Staff", "role": Role.STAFF}
    )
    return [a | {"active": True, "session_epoch": 0, "created_at": now} for a in accounts]


def _people(rng: random.Random, n: int, now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "ref": f"BENCH-{i:05d}",
            "preferred_name": "Sam",
            "borough": BOROUGHS[rng.randrange(len(BOROUGHS))],
            "coach_id": (i - 1) % COACHES + 1,
            "format": rng.choice(FORMATS),
            "easy_read": True,
            "reminder_plan": "recommended",
            "language": "en",
            "consent": "given",
            "paused": False,
            "created_at": now - timedelta(days=400),
        }
        for i in range(1, n + 1)
    ]


def _needs(rng: random.Random, n: int, now: datetime) -> list[dict[str, Any]]:
    categories = list(NeedCategory)
    rows = []
    for person_id in range(1, n + 1):
        for category in rng.sample(categories, rng.choice((0, 1, 1, 1, 2, 2, 3))):
            rows.append(
                {
                    "person_id": person_id,
                    "category": category,
                    "recorded_at": now - timedelta(days=rng.randint(370, 400)),
                    "recorded_by": (person_id - 1) % COACHES + 1,
                    "removed_at": None,
                }
            )
    return rows


def _appointments(
    rng: random.Random, people: int, per_person: int
) -> tuple[list[dict[str, Any]], list[Event]]:
    """Appointments over the year (weekdays, 09:00 to 17:00 London) and, for those
    before now, their reminders (the evening before, the morning, an hour before), an
    answer for most, and the outcome."""
    first_day = local(START).date() - timedelta(days=365)
    appointments: list[dict[str, Any]] = []
    events: list[Event] = []
    for person_id in range(1, people + 1):
        for _ in range(per_person):
            day = first_day + timedelta(days=rng.randrange(380))
            while day.weekday() >= 5:
                day += timedelta(days=1)
            starts_at = at_local(day, clock_time(9 + rng.randrange(8), rng.choice((0, 30))))
            appointment_id = len(appointments) + 1
            row, happened = _one_appointment(rng, appointment_id, person_id, day, starts_at)
            appointments.append(row)
            events += happened
    return appointments, events


def _one_appointment(
    rng: random.Random, appointment_id: int, person_id: int, day: date, starts_at: datetime
) -> tuple[dict[str, Any], list[Event]]:
    sends = [
        at_local(day - timedelta(days=1), clock_time(18)),
        at_local(day, clock_time(8)),
        starts_at - timedelta(hours=1),
    ]
    sends = [s for s in sends if s < min(starts_at, START)]
    events: list[Event] = []
    for slot, sent_at in zip(("evening", "morning", "soon"), sends, strict=False):
        detail = json.dumps({"kind": "reminder", "slot": slot, "outbox_id": appointment_id})
        events.append((person_id, "message_sent", appointment_id, detail, sent_at))
    answer = None
    if sends and rng.random() < 0.6:
        answer = rng.choice(ANSWERS)
        answered = rng.choice(sends) + timedelta(minutes=rng.lognormvariate(3, 1.2))
        detail = json.dumps({"answer": answer})
        events.append((person_id, "reminder_reply", appointment_id, detail, answered))
        events.append((person_id, "in_button", None, "{}", answered))
    outcome = None
    if starts_at < START:
        attend = {"coming": 0.9, "late": 0.75, "cant_come": 0.1}.get(answer or "", 0.65)
        roll = rng.random()
        outcome = "attended" if roll < attend else "rescheduled" if roll > 0.97 else "missed"
    confirmation = answer if answer in ("coming", "late", "cant_come") else None
    row = {
        "id": appointment_id,
        "person_id": person_id,
        "starts_at": starts_at,
        "status": "scheduled",
        "revision": 1,
        "confirmation": confirmation,
        "outcome": outcome,
        "outcome_at": starts_at + timedelta(hours=2) if outcome else None,
        "created_at": starts_at - timedelta(days=20),
        "place": "Camberwell Office",
        "with_whom": "Jo",
        "kind": "probation",
    }
    return row, events


def _other_events(rng: random.Random, people: int, n: int) -> Iterator[Event]:
    kinds = [(kind, json.dumps(detail)) for kind, _, detail in OTHER_KINDS]
    weights = [weight for _, weight, _ in OTHER_KINDS]
    year = 365 * 24 * 3600
    for _ in range(n):
        kind, detail = rng.choices(kinds, weights)[0]
        at = START - timedelta(seconds=rng.randrange(year))
        yield (rng.randrange(1, people + 1), kind, None, detail, at)


def _chain(*parts: Iterator[Event]) -> Iterator[Event]:
    for part in parts:
        yield from part


def _batches(rows: Iterator[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_events(connection: Connection, events: Iterator[Event]) -> None:
    if connection.dialect.name == "postgresql":
        raw: Any = connection.connection.dbapi_connection
        columns = ", ".join(EVENT_COLUMNS)
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY engagement_event ({columns}) FROM STDIN") as copy,
        ):
            for event in events:
                copy.write_row(event)
        return
    for batch in _batches(events):
        rows = [dict(zip(EVENT_COLUMNS, event, strict=True)) for event in batch]
        for row in rows:
            row["detail"] = json.loads(row["detail"])
        connection.execute(insert(EngagementEvent), rows)


def _median_ms(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def _drawn(
    build: Callable[[Session, Scope, Period], Report],
    session: Session,
    scope: Scope,
    period: Period,
) -> Callable[[], str]:
    return lambda: charts.render(build(session, scope, period))


def _chart(report: Report) -> Callable[[], str]:
    return lambda: charts.render(report)


def run(backend: str, people: int, events: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, database_url(backend, Path(tmp)) as url:
        engine = migrated_engine(url)
        began = time.perf_counter()
        appointments = fill(engine, people, events)
        loaded = time.perf_counter() - began
        if backend == "postgresql":  # as autovacuum would have by now
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        print(
            f"{backend}: {people} people, {events} events, {appointments} appointments "
            f"(loaded in {loaded:.0f} s); median of {repeat} runs"
        )
        _time_reports(engine, repeat)
        engine.dispose()


def _time_reports(engine: Engine, repeat: int) -> None:
    period = Period.last_12_months(START)
    scopes = {
        "everyone": Scope.everyone(),
        "one coach": Scope.caseload(1),
        f"staff ({STAFF_PEOPLE})": Scope.assigned_to(COACHES + 1),
    }
    with Session(engine) as session:
        # A report only reads: on SQLite it need not hold the write lock while it runs.
        session.connection(execution_options={"sqlite_begin": "DEFERRED"})
        count = text("SELECT count(*) FROM engagement_event")
        baseline = _median_ms(repeat, lambda: session.execute(count).scalar_one())
        print(f"  {'count(*) of engagement_event':<40}{baseline:8.1f} ms")
        print(
            f"  {'report: query + chart':<24}"
            + "".join(f"{s:>20}" for s in scopes)
            + f"{'chart alone':>13}"
        )
        for key, build in REPORTS.items():
            cells = []
            for scope in scopes.values():
                ms = _median_ms(repeat, _drawn(build, session, scope, period))
                cells.append(f"{ms:8.1f} ms {ms / baseline:6.1f}x")
            chart = _median_ms(repeat, _chart(build(session, Scope.everyone(), period)))
            print(f"  {key:<24}" + "".join(f"{c:>20}" for c in cells) + f"{chart:10.1f} ms")
        began = time.perf_counter()
        secret = b"bench-pseudonym-key-0123456789ab"
        lines = pseudonymised_events(session, Scope.everyone(), period, secret)
        rows = sum(1 for _ in lines)
        took = time.perf_counter() - began
        print(f"  pseudonymised event export, everyone: {rows - 1} rows in {took:.1f} s (once)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
    for backend in backends:
        run(backend, args.people, args.events, args.repeat)


if __name__ == "__main__":
    main()
