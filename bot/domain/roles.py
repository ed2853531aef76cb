"""What a `waymark serve` worker runs: its roles, from `--with bot,web,dispatch`.

- `bot`: takes Telegram's updates (long polling, or the webhook route) and answers them.
- `web`: the dashboard, the API and the web chat.
- `dispatch`: the scheduler: sends what falls due in the outbox, plans recurring
  messages, runs retention.

Every worker answers /healthz. Several workers share one PostgreSQL database; the outbox,
the send limits and each person's conversation are safe across them (docs/delivery.md).
"""

from __future__ import annotations

from bot.domain.errors import Invalid

BOT, WEB, DISPATCH = "bot", "web", "dispatch"
ROLES = (BOT, WEB, DISPATCH)
ALL_ROLES = frozenset(ROLES)


def parse_roles(text: str) -> frozenset[str]:
    """`bot,web,dispatch` (any order, any subset, spaces allowed) as a set of roles; a
    clear error for an empty list or a role that does not exist."""
    named = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not named:
        raise Invalid(f"--with needs at least one role: {', '.join(ROLES)}")
    unknown = sorted(set(named) - ALL_ROLES)
    if unknown:
        raise Invalid(
            f"--with: no role named {', '.join(unknown)}; the roles are {', '.join(ROLES)}"
        )
    return frozenset(named)
