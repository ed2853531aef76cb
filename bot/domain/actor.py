"""Who makes a change to a person's data, and by which way in: every service that changes
a person's data is given an Actor and writes the audit row itself, in the same unit of
work as the change (shared/DESIGN.md section 6)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Via(StrEnum):
    """The way in, as the audit trail's `via` column stores it."""

    DASHBOARD = "web"
    API = "api"
    CLI = "cli"
    BOT = "bot"
    SCHEDULER = "job"


@dataclass(frozen=True)
class Actor:
    via: Via
    account_id: int | None = None  # the account, where there is one (not the CLI's)

    @classmethod
    def dashboard(cls, account_id: int | None) -> Actor:
        return cls(Via.DASHBOARD, account_id)

    @classmethod
    def api(cls, account_id: int | None) -> Actor:
        return cls(Via.API, account_id)

    @classmethod
    def cli(cls) -> Actor:
        return cls(Via.CLI)

    @classmethod
    def bot(cls) -> Actor:
        return cls(Via.BOT)

    @classmethod
    def scheduler(cls) -> Actor:
        return cls(Via.SCHEDULER)
