"""Where the media cache keeps the card and the voice notes made for a message, so that
erasing a person can take the files made from their words (their name is drawn on cards
and spoken in voice notes) out of the cache, and the retention job can take old ones."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from bot.media.cache import DiskCache
from bot.media.cards import STYLE
from bot.media.speech import SpeechEngine
from bot.rendering.outgoing import Draft
from bot.settings import MediaSettings, SpeechSettings

KINDS = ("cards", "speech")


class CachedMedia:
    def __init__(self, cache: DiskCache, engines: Sequence[SpeechEngine]) -> None:
        self.cache = cache
        self.engines = tuple(engines)

    def files_for(self, draft: Draft) -> list[Path]:
        """The files the draft's card and voice note are (or would be) kept in."""
        found = []
        if draft.card is not None:
            found.append(self.cache.path("cards", (STYLE, draft.card.fingerprint()), ".png"))
        if draft.speech is not None:
            text, language = draft.speech.text, draft.speech.language
            for engine in self.engines:
                parts = (engine.name, language, engine.voice_for(language), text)
                found.append(self.cache.path("speech", parts, engine.extension))
        return [path for path in found if path.is_file()]

    def older_than(self, moment: datetime) -> Iterator[Path]:
        """Cached files last written before `moment`."""
        limit = moment.timestamp()
        for kind in KINDS:
            folder = self.cache.directory / kind
            if not folder.is_dir():
                continue
            for path in folder.rglob("*"):
                if path.is_file() and path.stat().st_mtime < limit:
                    yield path


def cached_media(media: MediaSettings, speech: SpeechSettings) -> CachedMedia:
    """The cache as the settings place it, with every engine that may have filled it (Google's
    voice too, when it is off now: it may have been on when a message went)."""
    from bot.media.espeak import EspeakEngine
    from bot.media.gtts_engine import GttsEngine

    engines: list[SpeechEngine] = [
        GttsEngine(speech.gtts_url, speech.gtts_timeout),
        EspeakEngine(words_per_minute=speech.words_per_minute),
    ]
    return CachedMedia(DiskCache(media.cache_dir), engines)
