"""The bot's rate limits, shared by every worker (bot/channels/limits_postgres.py): for
the bot and for each chat, the next moment a message may go."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class SendLimit(SQLModel, table=True):
    __tablename__ = "send_limit"

    # "<channel>:<bot id>:bot", or "<channel>:<bot id>:c:<hash of the chat id>".
    key: str = Field(primary_key=True, max_length=80)
    next_at: float  # seconds since 1970 on the database's clock
