"""The soak: three `waymark serve` workers on one PostgreSQL database, fed by the stand-in
Bot API in a process of its own that enforces Telegram's limits and injects faults, while
a random worker is killed (SIGKILL) every 10 to 20 seconds and started again. Then a
table: each reminder delivered once, twice or lost, the 429s Waymark caused, the lag
from due time to delivery, the workers' peak memory.

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \\
        uv run python -m bench.soak --reminders 5000 --minutes 5 --burst 500

- The stand-in (bench/standin_process.py): 30 messages a second for the bot and 1 a
  second per chat in any rolling second, 429 with retry_after beyond them; 10% of sends
  fail on purpose (429, 500, 502, 403 and time-outs, in equal parts).
- Each reminder goes to a person of its own (one chat each), due at a time spread
  evenly over `--minutes`, and `--burst` of them at one instant (half-way). They are real
  appointment reminders, rendered and sent as `waymark serve` sends any reminder.
- Worker 1 runs every role and takes updates by long polling (the other two run web and
  dispatch: one poller per bot, as Telegram allows); all three dispatch. Each worker uses
  its own address at the stand-in (`.../w2-3` is worker 2's third start), so every send
  is known by the process that made it.
- Leases are `--lease` seconds (15; production's default is 120), so rows a killed worker
  held come back within the run.
- A second send "after a kill" is one whose first send came from a process that was
  killed after that send reached Telegram: the one window delivery allows
  (docs/delivery.md).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.memory import TOKEN, Serving, standin
from bench.seeding import seed
from bench.soak_table import Kill, Outcome, table
from bot.composition import build_core
from bot.settings import DatabaseSettings, Settings
from tests.support.database import database_url, migrated_engine

STARTUP = 25.0  # seconds from seeding to the first due reminder: the workers start


class Worker:
    def __init__(self, number: int, roles: str, env: dict[str, str], logs: Path) -> None:
        self.number, self.roles, self.env, self.logs = number, roles, env, logs
        self.start_no = 0
        self.serving: Serving | None = None
        self.peak = 0

    @property
    def tag(self) -> str:
        return f"w{self.number}-{self.start_no}"

    def start(self, api: str) -> None:
        self.start_no += 1
        env = self.env | {"TELEGRAM_API_URL": f"{api}/{self.tag}"}
        self.serving = Serving(env, self.roles)

    def sample(self) -> None:
        if self.serving is not None and self.serving.process.poll() is None:
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                self.peak = max(self.peak, self.serving.memory().get("VmHWM", 0))

    def kill(self) -> None:
        assert self.serving is not None
        self.sample()
        self.serving.process.send_signal(signal.SIGKILL)
        self.serving.process.wait()
        self._keep_log()

    def stop(self) -> None:
        if self.serving is not None:
            self.sample()
            self.serving.stop()
            self._keep_log()

    def _keep_log(self) -> None:
        if self.serving is not None:
            with (self.logs / f"{self.tag}.log").open("w") as out:
                out.writelines(self.serving.lines)


def _dues(count: int, burst: int, minutes: float, first: datetime) -> list[datetime]:
    """Reminder i's due time: most spread evenly over the period, `burst` at one instant."""
    spread = count - burst
    period = minutes * 60
    dues = [first + timedelta(seconds=period * i / max(spread, 1)) for i in range(spread)]
    dues += [first + timedelta(seconds=period / 2)] * burst
    return dues


def _left(engine: Any) -> int:
    with engine.connect() as connection:
        query = text(
            "SELECT count(*) FROM outbox"
            " WHERE kind = 'reminder' AND status IN ('pending', 'sending')"
        )
        return int(connection.execute(query).scalar_one())


def _outcomes(engine: Any) -> dict[int, str]:
    with engine.connect() as connection:
        query = text("SELECT person_id, status FROM outbox WHERE kind = 'reminder'")
        rows = connection.execute(query)
        return {int(person): str(status) for person, status in rows}


def run(arguments: argparse.Namespace) -> None:
    rng = random.Random(arguments.seed)  # which worker, and when: not secrets
    with tempfile.TemporaryDirectory() as folder, database_url("postgresql", Path(folder)) as url:
        logs = Path(arguments.logs or folder)
        logs.mkdir(parents=True, exist_ok=True)
        engine = migrated_engine(url)
        core = build_core(Settings(database=DatabaseSettings(url=url)), engine=engine)
        first = datetime.now(UTC) + timedelta(seconds=STARTUP)
        dues = _dues(arguments.reminders, arguments.burst, arguments.minutes, first)
        seed(core, arguments.reminders, lambda i: [dues[i]])
        record = logs / "sends.jsonl"
        faults = ("--limits", "--faults", str(arguments.faults), "--record", str(record))
        with standin(*faults) as (api, stand_in):
            env = {
                "DATABASE_URL": url,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_FRAMEWORK": arguments.framework,
                "TELEGRAM_POLL_TIMEOUT": "10",
                "SCHEDULER_CLAIM_LEASE_SECONDS": str(arguments.lease),
                "WEB_PORT": "0",
                "MEDIA_CACHE_DIR": str(Path(folder) / "media"),
                "PTB_TIMEDELTA": "true",
                "LOG_LEVEL": "INFO",
            }
            workers = [
                Worker(n, "bot,web,dispatch" if n == 1 else "web,dispatch", env, logs)
                for n in range(1, arguments.workers + 1)
            ]
            kills = _drive(arguments, rng, api, workers, engine, first)
            for worker in workers:
                worker.stop()
            stand_in.send_signal(signal.SIGTERM)
            stand_in.wait(60)
        kept = [{"tag": kill.tag, "at": kill.at} for kill in kills]
        (logs / "kills.json").write_text(json.dumps(kept))  # beside sends.jsonl, for a look
        sends = [json.loads(line) for line in record.read_text().splitlines()]
        summary = json.loads(record.with_suffix(".summary.json").read_text())
        statuses = _outcomes(engine)
        outcome = Outcome(
            dues={i: due.timestamp() for i, due in enumerate(dues)},
            sends=sends,
            kills=kills,
            limit_429=sum(summary["limit_429"].values()),
            faults=summary["faults"],
            statuses=statuses,
            peak_rss=max(worker.peak for worker in workers),
            first_person=min(statuses),
        )
        engine.dispose()
        print(table(outcome, arguments))
        print(f"worker logs: {logs}" if arguments.logs else "")


def _drive(
    arguments: argparse.Namespace,
    rng: random.Random,
    api: str,
    workers: list[Worker],
    engine: Any,
    first: datetime,
) -> list[Kill]:
    """Start the workers, kill one now and then, until every reminder is done (or the
    time is up). The kills stop once the last reminder is due and all are done."""
    for worker in workers:
        worker.start(api)
    kills: list[Kill] = []
    end = first + timedelta(minutes=arguments.minutes)
    give_up = time.monotonic() + STARTUP + arguments.minutes * 60 + arguments.grace
    next_kill = time.monotonic() + rng.uniform(10, 20)
    while time.monotonic() < give_up:
        time.sleep(0.5)
        for worker in workers:
            worker.sample()
        if datetime.now(UTC) > end and _left(engine) == 0:
            break
        if arguments.kills and time.monotonic() >= next_kill:
            victim = rng.choice(workers)
            tag = victim.tag
            victim.kill()
            kills.append(Kill(tag, time.time()))
            victim.start(api)
            next_kill = time.monotonic() + rng.uniform(10, 20)
    return kills


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=5000)
    parser.add_argument("--minutes", type=float, default=5.0, help="the period they fall due in")
    parser.add_argument("--burst", type=int, default=None, help="due at one instant (10%%)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--framework", choices=("ptb", "aiogram"), default="ptb")
    parser.add_argument("--faults", type=float, default=0.1, help="share of sends that fail")
    parser.add_argument("--lease", type=int, default=15, help="SCHEDULER_CLAIM_LEASE_SECONDS")
    parser.add_argument("--no-kills", dest="kills", action="store_false")
    parser.add_argument("--grace", type=float, default=240.0, help="seconds allowed after")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--logs", default="", help="keep the workers' logs in this folder")
    arguments = parser.parse_args()
    if arguments.burst is None:
        arguments.burst = arguments.reminders // 10
    if not 0 <= arguments.burst <= arguments.reminders:
        parser.error("--burst must be between 0 and --reminders")
    if not os.environ.get("TEST_DATABASE_URL"):
        parser.error("the soak runs on PostgreSQL: set TEST_DATABASE_URL")
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    run(arguments)


if __name__ == "__main__":
    main()
