"""Update ids the Telegram webhook has taken in, so that an update Telegram posts again
(it retries when an answer is slow or lost) is handled once, whichever worker gets it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Column, Field, SQLModel

from bot.storage.types import UTCDateTime


class SeenUpdate(SQLModel, table=True):
    __tablename__ = "telegram_update"

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
