"""Files a channel already holds, by the SHA-256 of their bytes: a card or a voice note
uploaded once is sent by its file id from then on.

A file id never changes for the same bot, so ids are also kept in memory (bounded) and
the database is asked only on a miss; it is written after a successful upload.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.domain.clock import Clock
from bot.models import MediaFile
from bot.storage import UnitOfWorkFactory

log = logging.getLogger(__name__)
MEMORY = 10_000


class FileIds:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock
        self._known: OrderedDict[tuple[str, str], str] = OrderedDict()

    def _keep(self, key: tuple[str, str], file_id: str) -> None:
        self._known[key] = file_id
        self._known.move_to_end(key)
        while len(self._known) > MEMORY:
            self._known.popitem(last=False)

    async def lookup(self, channel: str, sha256: str) -> str | None:
        key = (channel, sha256)
        if key in self._known:
            return self._known[key]
        found = await asyncio.to_thread(self._read, channel, sha256)
        if found is not None:
            self._keep(key, found)
        return found

    async def remember(self, channel: str, sha256: str, file_id: str, kind: str) -> None:
        self._keep((channel, sha256), file_id)
        await asyncio.to_thread(self._write, channel, sha256, file_id, kind)

    async def forget(self, channel: str, sha256: str) -> None:
        """The channel refused the id (a new bot token, say): upload the bytes again."""
        self._known.pop((channel, sha256), None)
        await asyncio.to_thread(self._delete, channel, sha256)

    def _read(self, channel: str, sha256: str) -> str | None:
        with self._uow() as uow:
            row = uow.session.exec(
                select(MediaFile).where(MediaFile.channel == channel, MediaFile.sha256 == sha256)
            ).first()
            return None if row is None else row.file_id

    def _write(self, channel: str, sha256: str, file_id: str, kind: str) -> None:
        with self._uow() as uow:
            row = uow.session.exec(
                select(MediaFile).where(MediaFile.channel == channel, MediaFile.sha256 == sha256)
            ).first()
            if row is None:
                row = MediaFile(
                    channel=channel,
                    sha256=sha256,
                    kind=kind,
                    created_at=self._clock.now(),
                    file_id=file_id,
                )
            row.file_id = file_id
            uow.session.add(row)
            try:
                uow.commit()
            except IntegrityError:  # another worker wrote the same file first: either id works
                log.info("file id written twice", extra={"channel": channel})

    def _delete(self, channel: str, sha256: str) -> None:
        with self._uow() as uow:
            row = uow.session.exec(
                select(MediaFile).where(MediaFile.channel == channel, MediaFile.sha256 == sha256)
            ).first()
            if row is not None:
                uow.session.delete(row)
                uow.commit()
