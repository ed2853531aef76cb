"""The rows a worker holds: claimed, not yet recorded, and their leases kept alive.

A claim's lease is renewed every third of SCHEDULER_CLAIM_LEASE_SECONDS for as long as
any of its rows is in hand, rather than made long enough up front. The longest wait is
not one send's (SEND_MAX_ATTEMPTS x (SEND_MAX_RETRY_AFTER + TELEGRAM_REQUEST_TIMEOUT),
about 5 minutes by default) but a chat's: its rows queue behind each other at 1 a second
and behind each other's retries, so a lease computed to cover that would run to hours,
and the rows of a worker that died would wait that long for another. Renewed, a live
worker keeps its rows however long Telegram makes it wait, and a dead one's come back
within one lease.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass

RENEWALS_PER_LEASE = 3  # two renewals can fail before the lease runs out


@dataclass(frozen=True)
class Claim:
    """Rows taken for sending, and the token every later write about them names."""

    token: str
    ids: list[int]


class InHand:
    """The rows claimed and not yet recorded, by claim; `changed` is set each time one
    is let go of."""

    def __init__(self) -> None:
        self._claims: dict[str, set[int]] = {}
        self.count = 0
        self.changed = asyncio.Event()

    def add(self, claim: Claim) -> None:
        self._claims[claim.token] = set(claim.ids)
        self.count += len(claim.ids)

    def release(self, token: str, row_id: int) -> None:
        rows = self._claims.get(token)
        if rows is None or row_id not in rows:
            return
        rows.discard(row_id)
        if not rows:
            del self._claims[token]
        self.count -= 1
        self.changed.set()

    def ids(self) -> list[int]:
        return [row_id for rows in self._claims.values() for row_id in rows]

    def claims(self) -> list[Claim]:
        return [Claim(token, sorted(rows)) for token, rows in self._claims.items()]


@asynccontextmanager
async def renewing(
    in_hand: InHand, renew: Callable[[Claim], int], every: float
) -> AsyncIterator[None]:
    """Renew the lease of every row in hand each `every` seconds, while the body runs."""

    def renew_all(claims: list[Claim]) -> None:
        for claim in claims:
            renew(claim)

    async def loop() -> None:
        while True:
            await asyncio.sleep(every)
            await asyncio.to_thread(renew_all, in_hand.claims())

    renewer = asyncio.create_task(loop())
    try:
        yield
    finally:
        renewer.cancel()
        with suppress(asyncio.CancelledError):
            await renewer
