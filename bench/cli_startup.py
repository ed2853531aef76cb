"""How long `waymark` takes to start: what a coach waits for before a command does anything.

    uv run python -m bench.cli_startup [ROUNDS] [--before REV]

Each command runs in a fresh interpreter, as a coach runs it, with a Telegram token set
and TELEGRAM_FRAMEWORK=aiogram (a production `.env`), on a SQLite file of its own that
holds one person with one appointment:

1. `waymark --help` and `waymark appointment list REF`: the import time (the sum of the
   top-level imports' cumulative microseconds under `python -X importtime`: everything
   the command imported, its libraries included), then, run again without
   `-X importtime`, the CPU time (user and system: a busy machine moves it least) and
   the wall time of the whole run; median of ROUNDS (default 5).
2. The baselines, in the same run: `python -c "import typer"` (what any Typer command
   line imports) and `python -c "import sqlmodel"` (what any command that reads the
   database imports); every figure is also given as a ratio against `import sqlmodel`.
3. With `--before REV` (a commit, say the one before the lazy imports), the same two
   commands from that commit's tree (taken with `git archive`, run with the same
   libraries), rounds interleaved with the others, and after/before as ratios.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = "import sys; sys.argv[0] = 'waymark'; from bot.cli import main; main()"
REF = "IOM-0042"
HELP = ("--help",)
LIST = ("appointment", "list", REF)


@dataclass(frozen=True)
class Run:
    label: str
    code: str
    args: Sequence[str] = ()
    tree: Path = ROOT
    database: str | None = None  # a DATABASE_URL of its own: an older tree's migrations


@dataclass
class Figures:
    imports_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    wall_ms: list[float] = field(default_factory=list)

    @property
    def imports(self) -> float:
        return statistics.median(self.imports_ms)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def wall(self) -> float:
        return statistics.median(self.wall_ms)


def imported_us(stderr: str) -> int:
    """The sum of the top-level imports' cumulative times: `-X importtime` indents a
    nested import by two more spaces, so a top-level one has a single space."""
    total = 0
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        _self, cumulative, name = line.removeprefix("import time:").split("|")
        if name.startswith(" ") and not name.startswith("  ") and cumulative.strip().isdigit():
            total += int(cumulative)
    return total


@dataclass(frozen=True)
class Ran:
    wall_ms: float
    cpu_ms: float  # user and system time of the child: less moved by a busy machine
    stderr: str


def run(job: Run, env: dict[str, str], cwd: str, *, importtime: bool) -> Ran:
    flags = ["-X", "importtime"] if importtime else []
    command = [sys.executable, *flags, "-c", job.code, *job.args]
    env = {**env, "PYTHONPATH": str(job.tree)}
    if job.database is not None:
        env["DATABASE_URL"] = job.database
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        command, env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    elapsed = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{job.label} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Ran(elapsed, cpu * 1000, done.stderr)


def measure(jobs: list[Run], env: dict[str, str], cwd: str, rounds: int) -> dict[str, Figures]:
    figures = {job.label: Figures() for job in jobs}
    for _ in range(rounds):
        for job in jobs:  # interleaved: a busy moment costs every command alike
            timed = run(job, env, cwd, importtime=True)
            plain = run(job, env, cwd, importtime=False)
            figures[job.label].imports_ms.append(imported_us(timed.stderr) / 1000)
            figures[job.label].cpu_ms.append(plain.cpu_ms)
            figures[job.label].wall_ms.append(plain.wall_ms)
    return figures


def seed(env: dict[str, str], cwd: str, tree: Path = ROOT, database: str | None = None) -> None:
    """One coach, one person and one appointment, added as a coach would (by `tree`'s
    own command line, into its own database when it has one)."""
    for args in (
        ("coach", "add", "--email", "priya@example.org", "--name", "Priya"),
        (
            "person",
            "add",
            "--ref",
            REF,
            "--name",
            "Sam",
            "--borough",
            "Southwark",
            "--coach",
            "priya@example.org",
        ),
        (
            "appointment",
            "add",
            REF,
            "--at",
            "2030-01-15 10:00",
            "--place",
            "Camberwell",
            "--with",
            "Jo",
        ),
    ):
        run(Run("seed", CLI, args, tree, database), env, cwd, importtime=False)


def tree_at(revision: str, into: Path) -> Path:
    folders = ["bot", "scheduler", "web", "migrations", "content"]
    archive = subprocess.run(  # noqa: S603 - git, with a revision the user named
        ["git", "archive", revision, *folders],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    into.mkdir()
    untar = ["tar", "-x", "-C", str(into)]
    subprocess.run(untar, input=archive.stdout, check=True)  # noqa: S603 - git's own archive
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rounds", nargs="?", type=int, default=5)
    parser.add_argument("--before", help="a commit whose tree is measured in the same run")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/waymark.db",
            "TELEGRAM_BOT_TOKEN": "123456:BENCH-TOKEN-NEVER-USED",
            "TELEGRAM_BOT_USERNAME": "waymark_bench_bot",
            "TELEGRAM_FRAMEWORK": "aiogram",
        }
        seed(env, folder)  # the working folder too: no .env is read there
        jobs = [
            Run("import typer", "import typer"),
            Run("import sqlmodel", "import sqlmodel"),
            Run("waymark --help", CLI, HELP),
            Run("waymark appointment list REF", CLI, LIST),
        ]
        if options.before:
            before = tree_at(options.before, Path(folder) / "before")
            database = f"sqlite:///{folder}/before.db"  # its migrations are older
            seed(env, folder, before, database)
            jobs += [
                Run("before: waymark --help", CLI, HELP, before, database),
                Run("before: waymark appointment list REF", CLI, LIST, before, database),
            ]
        figures = measure(jobs, env, folder, options.rounds)
    report(figures, options.rounds, options.before)


def report(figures: dict[str, Figures], rounds: int, before: str | None) -> None:
    base = figures["import sqlmodel"]
    print(f"waymark start-up, median of {rounds} (a token set, TELEGRAM_FRAMEWORK=aiogram)")
    print(f"{'':38} {'imports ms':>10} {'cpu ms':>8} {'wall ms':>8}   imports, cpu vs sqlmodel")
    for label, got in figures.items():
        ratios = f"x{got.imports / base.imports:5.2f}, x{got.cpu / base.cpu:5.2f}"
        print(f"{label:38} {got.imports:10.0f} {got.cpu:8.0f} {got.wall:8.0f}   {ratios}")
    if before is None:
        return
    print(f"\nafter / before ({before}):")
    for label in ("waymark --help", "waymark appointment list REF"):
        now, then = figures[label], figures[f"before: {label}"]
        print(
            f"{label:38} imports x{now.imports / then.imports:.3f}, "
            f"cpu x{now.cpu / then.cpu:.3f}, wall x{now.wall / then.wall:.3f}"
        )


if __name__ == "__main__":
    main()
