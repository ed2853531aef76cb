"""Peak memory of `waymark serve` with a large database: 10,000 people and 100,000
pending outbox rows (ten reminders each, due over the coming weeks), on SQLite and, when
TEST_DATABASE_URL is set, PostgreSQL; with each Telegram framework. Goal: 200 MB.

    uv run python -m bench.memory [--people 10000] [--rows 10] [--seconds 20]

`waymark serve` runs as a process of its own against the stand-in Bot API (another
process, bench/standin_process.py), as in production: it starts, plans (every person's
recurring messages), dispatches, polls and answers /healthz and the login page for
`--seconds`. The figure is the kernel's peak resident set size (VmHWM in
/proc/PID/status) over the whole run, and the resident size at the end (VmRSS).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from bench.seeding import seed
from bot.composition import build_core
from bot.settings import DatabaseSettings, Settings
from tests.support.database import database_url, migrated_engine

MB = 1024 * 1024
TOKEN = "123456:TEST-TOKEN"


@contextmanager
def standin(*arguments: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The stand-in Bot API in its own process: its address, and the process."""
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "bench.standin_process", *arguments],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"port=(\d+)", line)
        if found is None:
            raise RuntimeError(f"the stand-in did not start: {line!r}")
        yield f"http://127.0.0.1:{found[1]}", process
    finally:
        process.terminate()
        process.wait(30)


def serve_command(roles: str = "bot,web,dispatch") -> list[str]:
    return [str(Path(sys.executable).parent / "waymark"), "serve", "--with", roles]


class Serving:
    """`waymark serve` in a process of its own, with its log read as it comes."""

    def __init__(self, env: dict[str, str], roles: str = "bot,web,dispatch") -> None:
        self.process = subprocess.Popen(  # noqa: S603
            serve_command(roles),
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.port = 0
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)
            found = re.search(r"waymark serving.*port=(\d+)", line)
            if found:
                self.port = int(found[1])
                self._ready.set()

    def wait_ready(self, timeout: float = 120) -> None:
        if not self._ready.wait(timeout):
            raise RuntimeError("waymark serve did not start:\n" + "".join(self.lines[-20:]))

    def memory(self) -> dict[str, int]:
        """VmHWM (peak) and VmRSS (now), in bytes."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        found = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.MULTILINE))
        return {name: int(kb) * 1024 for name, kb in found.items()}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (loopback)
        answer.read()
        return int(answer.status)


def measure(backend: str, framework: str, people: int, rows: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as folder, database_url(backend, Path(folder)) as url:
        engine = migrated_engine(url)
        core = build_core(Settings(database=DatabaseSettings(url=url)), engine=engine)
        now = core.clock.now()
        started = time.monotonic()
        seed(core, people, lambda i: [now + timedelta(days=1 + j, seconds=i) for j in range(rows)])
        seeded = time.monotonic() - started
        engine.dispose()
        with standin() as (api, _):
            env = {
                "DATABASE_URL": url,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_URL": api,
                "TELEGRAM_FRAMEWORK": framework,
                "TELEGRAM_POLL_TIMEOUT": "1",
                "WEB_PORT": "0",
                "MEDIA_CACHE_DIR": str(Path(folder) / "media"),
                "PTB_TIMEDELTA": "true",
            }
            serving = Serving(env)
            try:
                serving.wait_ready()
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    _get(f"http://127.0.0.1:{serving.port}/healthz")
                    _get(f"http://127.0.0.1:{serving.port}/login")
                    time.sleep(0.5)
                memory = serving.memory()
            finally:
                serving.stop()
    print(
        f"{backend:<10} {framework:<8} {people:>7} people {people * rows:>8} rows "
        f"(seeded in {seeded:4.0f} s)  peak {memory['VmHWM'] / MB:6.1f} MB  "
        f"at the end {memory['VmRSS'] / MB:6.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=10, help="pending rows per person")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long serve runs")
    parser.add_argument("--framework", choices=("ptb", "aiogram"), action="append")
    arguments = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
    for backend in backends:
        for framework in arguments.framework or ["ptb", "aiogram"]:
            measure(backend, framework, arguments.people, arguments.rows, arguments.seconds)


if __name__ == "__main__":
    main()
