"""The soak's table (bench/soak.py): what the stand-in Bot API received, set against
when each reminder was due, the kills, and where each outbox row ended."""

from __future__ import annotations

import argparse
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from bench.seeding import person_of

MB = 1024 * 1024


@dataclass(frozen=True)
class Kill:
    tag: str  # the process killed: worker and start, "w2-3"
    at: float  # wall clock, seconds


@dataclass(frozen=True)
class Outcome:
    dues: dict[int, float]  # reminder (person) i: when it fell due
    sends: list[dict[str, Any]]  # every send the stand-in was asked for
    kills: list[Kill]
    limit_429: int  # refused for going over 30/s or 1/s per chat: caused by Waymark
    faults: dict[str, int]  # injected on purpose
    statuses: dict[int, str]  # person id: where the outbox row ended
    peak_rss: int  # the largest VmHWM of any worker process
    first_person: int  # person i's id is first_person + i


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def table(outcome: Outcome, arguments: argparse.Namespace) -> str:
    delivered: dict[int, list[dict[str, Any]]] = defaultdict(list)
    refused: set[int] = set()
    for send in sorted(outcome.sends, key=lambda s: s["at"]):
        i = person_of(int(send["chat_id"]))
        if send["status"] == 200:
            delivered[i].append(send)
        elif send["status"] == 403:
            refused.add(i)
    reached = {i for i, sent in delivered.items() if sent}
    once = sum(1 for i in outcome.dues if len(delivered[i]) == 1)
    twice = [i for i in outcome.dues if len(delivered[i]) >= 2]
    after_kill = sum(1 for i in twice if _killed_inside(delivered[i], outcome.kills))
    extra = sum(len(delivered[i]) - 1 for i in twice)
    lost = [i for i in outcome.dues if not delivered[i] and i not in refused]
    lost_as = Counter(outcome.statuses.get(outcome.first_person + i, "?") for i in lost)
    lags = [delivered[i][0]["at"] - due for i, due in outcome.dues.items() if delivered[i]]
    burst_due = Counter(outcome.dues.values()).most_common(1)[0][0]
    burst = [
        delivered[i][0]["at"] - d
        for i, d in outcome.dues.items()
        if d == burst_due and delivered[i]
    ]
    ended = Counter(outcome.statuses.values())
    rows = [
        (
            "reminders",
            f"{len(outcome.dues)} over {arguments.minutes:g} min, {arguments.burst} at one instant",
        ),
        ("workers, kills", f"{arguments.workers}, {len(outcome.kills)} SIGKILLs"),
        ("delivered once", str(once)),
        (
            "delivered twice or more",
            f"{len(twice)} ({extra} extra sends); after a kill inside the send: {after_kill}",
        ),
        (
            "refused by the person (403)",
            f"{len(refused - reached)} (the row fails: not lost)",
        ),
        ("lost", f"{len(lost)}" + (f" ({dict(lost_as)})" if lost else "")),
        ("429s caused by exceeding the limits", str(outcome.limit_429)),
        ("faults injected", ", ".join(f"{k}: {v}" for k, v in sorted(outcome.faults.items()))),
        ("lag p50 / p99 / max (all)", _lags(lags)),
        ("lag p50 / p99 / max (the burst)", _lags(burst)),
        ("outbox rows ended", ", ".join(f"{k}: {v}" for k, v in sorted(ended.items()))),
        ("peak RSS of a worker", f"{outcome.peak_rss / MB:.0f} MB"),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"| {'':<{width}} | soak ({arguments.framework}) |", f"|{'-' * (width + 2)}|---|"]
    lines += [f"| {name:<{width}} | {value} |" for name, value in rows]
    return "\n".join(lines)


def _lags(values: list[float]) -> str:
    if not values:
        return "-"
    return (
        f"{_percentile(values, 0.5):.2f} s / {_percentile(values, 0.99):.2f} s / "
        f"{max(values):.2f} s (mean {statistics.fmean(values):.2f} s)"
    )


def _killed_inside(sends: list[dict[str, Any]], kills: list[Kill]) -> bool:
    """The first send's process was killed after the send reached Telegram and before
    the second send: it died before it could record the first."""
    first, second = sends[0], sends[1]
    return any(
        kill.tag == first["worker"] and first["at"] <= kill.at <= second["at"] for kill in kills
    )
