"""How long a subject access export and an erasure take for a person with a year of
history, against reading the same rows alone (the baseline) in the same run.

    uv run python -m bench.person_data [--days 365] [--repeat 5]

A year of one demo person (Leanne, IOM-1090, with a red mood, words to her coach and
check-ins) and one other is replayed through the real services, as the demo is made. The
export (read every table, build the document, write the page and the JSON) is timed
`--repeat` times, beside reading the person's rows alone; then the other person is erased
once. On SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.content.library import load_content
from bot.domain.clock import Clock
from bot.services import erasure, people, read_only, subject_access
from bot.services.person_records import records_of
from bot.services.subject_access_files import write
from bot.storage import UnitOfWork
from tests.support.database import BACKENDS, database_url, migrated_engine
from tests.support.fakes import FixedClock
from tests.support.year import replay

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
EXPORTED, ERASED = "IOM-1090", "IOM-1078"


def _median(times: list[float]) -> float:
    return statistics.median(times)


def run(backend: str, days: int, repeat: int, folder: Path) -> None:
    content = load_content()
    clock: Clock = FixedClock(NOW)
    with database_url(backend, folder) as url:
        engine = migrated_engine(url)
        started = time.perf_counter()
        replay(engine, NOW, content, (EXPORTED, ERASED), days)
        made = time.perf_counter() - started
        reading, exporting, rows = [], [], 0
        for _ in range(repeat):
            with UnitOfWork(engine) as uow:
                person = people.person_by_ref(uow.session, EXPORTED)
                started = time.perf_counter()
                records_of(uow.session, person)
                reading.append(time.perf_counter() - started)
            with UnitOfWork(engine) as uow:
                person = people.person_by_ref(uow.session, EXPORTED)
                started = time.perf_counter()
                document = subject_access.export(
                    uow.session, clock, content, person, account_id=None, via="cli"
                )
                write(document, folder / "export")
                uow.commit()
                exporting.append(time.perf_counter() - started)
            rows = sum(len(document[name]) for name in subject_access.SECTIONS)
        with UnitOfWork(engine) as uow:
            person = people.person_by_ref(uow.session, ERASED)
            started = time.perf_counter()
            erased = erasure.erase(
                uow.session,
                clock,
                person,
                reason="bench",
                account_id=None,
                via="cli",
                content=content,
            )
            uow.commit()
            erasing = time.perf_counter() - started
        engine.dispose()
    read, made_export = _median(reading), _median(exporting)
    print(f"{backend}: {days} days replayed in {made:.1f} s")
    print(f"  export of {rows} records: {made_export:.2f} s (median of {repeat})")
    print(
        f"  reading the same rows alone: {read:.2f} s; export / reading = {made_export / read:.1f}"
    )
    print(f"  erasure of {erased.total} rows: {erasing:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    read_only.install()
    for backend in BACKENDS:
        with tempfile.TemporaryDirectory() as folder:
            try:
                run(backend, options.days, options.repeat, Path(folder))
            except BaseException as error:  # pytest.skip: no TEST_DATABASE_URL
                if type(error).__name__ != "Skipped":
                    raise
                print(f"{backend}: skipped (TEST_DATABASE_URL is not set)")


if __name__ == "__main__":
    main()
