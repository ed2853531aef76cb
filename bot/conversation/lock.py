"""One conversation at a time per person, across workers.

Deciding on an update reads where the person's conversation stands, runs the flow and
saves where it stands now. Two workers deciding on two updates of one chat at once would
both read the same step, and the later save would lose the earlier one's step. So the
decision first takes a lock on the chat, held until its unit of work commits or rolls
back:

- PostgreSQL: `pg_advisory_xact_lock` keyed by the chat (channel and chat id, hashed to
  64 bits). It is taken before anything is read, so it covers a chat that has no person
  or no conversation row yet (a /start with an invite), where a row lock would find
  nothing to lock. A second worker's decision on the same chat waits for the first to
  commit, then reads what the first saved; waiters are let in in the order they asked.
- SQLite: nothing more to do. Every transaction begins with `BEGIN IMMEDIATE`
  (bot/storage/engine.py), the database's write lock, so decisions are one at a time.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlmodel import Session

from bot.domain.chat import ChatRef

_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def chat_key(chat: ChatRef) -> int:
    """The chat's advisory lock key: a signed 64-bit number, the same in every worker."""
    name = f"waymark:conversation:{chat.channel}:{chat.chat_id}".encode()
    return int.from_bytes(hashlib.blake2b(name, digest_size=8).digest(), "big", signed=True)


def hold(session: Session, chat: ChatRef) -> None:
    """Take the chat's lock for the rest of `session`'s transaction (PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_LOCK, {"key": chat_key(chat)})
