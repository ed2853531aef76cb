"""Speech: words in, a voice note out, from the first engine that can make it.

Engines are tried in order (gTTS first when it is configured, espeak-ng always last: it
needs no network, and it comes with the project's wheels, bot/media/espeak.py). An engine
that fails rests for a while so that people do not wait on a dead network for every
message, and its failure is logged once, not once per message; when it works again that
is logged too. Every voice note is cached on disk by (engine, language, voice, text), so
the same words are never made twice. Engines block (HTTP, or synthesis and encoding in C):
`Speech.say` runs them in a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain.clock import Clock
from bot.media.cache import DiskCache

log = logging.getLogger(__name__)
# Telegram plays a voice note inline only up to 1 MB; a bigger one arrives as a file.
MAX_VOICE_BYTES = 1_000_000


class SpeechError(Exception):
    """An engine could not make the audio (no network, refused, not installed, too big)."""


@dataclass(frozen=True)
class Audio:
    data: bytes
    mime_type: str  # audio/mpeg or audio/ogg
    extension: str  # .mp3 or .ogg
    duration: int | None = None  # whole seconds, when the engine knows
    engine: str = ""


class SpeechEngine(Protocol):
    name: str
    extension: str
    mime_type: str

    def voice_for(self, language: str) -> str:
        """The voice this engine uses for a language (part of the cache key)."""
        ...

    def speak(self, text: str, language: str) -> bytes:
        """The audio file's bytes; SpeechError when it cannot. Blocks."""
        ...

    def duration(self, data: bytes) -> int | None:
        """Seconds of audio in `data`, when the format tells."""
        ...


class Speech:
    def __init__(
        self,
        engines: list[SpeechEngine],
        cache: DiskCache,
        clock: Clock,
        rest: timedelta = timedelta(minutes=5),
    ) -> None:
        if not engines:
            raise ValueError("speech needs at least one engine")
        self.engines = engines
        self._cache = cache
        self._clock = clock
        self._rest = rest
        self._failed_at: dict[str, datetime] = {}
        self._lock = threading.Lock()

    async def say(self, text: str, language: str) -> Audio:
        return await asyncio.to_thread(self.say_now, text, language)

    def say_now(self, text: str, language: str) -> Audio:
        """The voice note for `text`; SpeechError when no engine can make it."""
        last = self.engines[-1]
        for engine in self.engines:
            if engine is not last and self._resting(engine):
                continue
            parts = (engine.name, language, engine.voice_for(language), text)
            cached = self._cache.get("speech", parts, engine.extension)
            if cached is not None:
                return self._audio(engine, cached)
            try:
                data = engine.speak(text, language)
                if len(data) > MAX_VOICE_BYTES:
                    raise SpeechError(f"{len(data)} bytes is more than a voice note may be")
            except SpeechError as error:
                self._failed(engine, error)
                continue
            self._recovered(engine)
            self._cache.put("speech", parts, engine.extension, data)
            return self._audio(engine, data)
        raise SpeechError("no speech engine could make this voice note")

    def _audio(self, engine: SpeechEngine, data: bytes) -> Audio:
        return Audio(data, engine.mime_type, engine.extension, engine.duration(data), engine.name)

    def _resting(self, engine: SpeechEngine) -> bool:
        with self._lock:
            failed_at = self._failed_at.get(engine.name)
        return failed_at is not None and self._clock.now() < failed_at + self._rest

    def _failed(self, engine: SpeechEngine, error: SpeechError) -> None:
        with self._lock:
            first = engine.name not in self._failed_at
            self._failed_at[engine.name] = self._clock.now()
        if first:  # once per outage, not once per message
            log.warning(
                "speech engine failed; using the next one",
                extra={"engine": engine.name, "error": str(error)[:200]},
            )

    def _recovered(self, engine: SpeechEngine) -> None:
        with self._lock:
            was_failing = self._failed_at.pop(engine.name, None) is not None
        if was_failing:
            log.info("speech engine works again", extra={"engine": engine.name})
