"""Files made once and kept on disk, keyed by what they were made from.

The same words are never spoken twice and the same card is never drawn twice: a voice note
is keyed by (engine, language, voice, text), a card by its style version and its words.
The cache only saves work; when the disk refuses a write, the file is simply made again
next time (and that is logged once).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
SEPARATOR = "\x1f"  # cannot appear in a key's parts by accident (a unit separator)


class DiskCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._write_failed = False

    def path(self, namespace: str, parts: tuple[str, ...], suffix: str) -> Path:
        digest = hashlib.sha256(SEPARATOR.join(parts).encode("utf-8")).hexdigest()
        return self.directory / namespace / digest[:2] / f"{digest}{suffix}"

    def get(self, namespace: str, parts: tuple[str, ...], suffix: str) -> bytes | None:
        try:
            return self.path(namespace, parts, suffix).read_bytes()
        except OSError:
            return None

    def put(self, namespace: str, parts: tuple[str, ...], suffix: str, data: bytes) -> None:
        """Write atomically (a whole file or none), so a reader never sees half a file."""
        target = self.path(namespace, parts, suffix)
        temporary: str | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, target)
        except OSError as error:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
            if not self._write_failed:
                self._write_failed = True
                log.warning("media cache cannot be written", extra={"error": type(error).__name__})
