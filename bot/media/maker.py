"""Making a Draft's file and turning it into the message a channel sends.

Everything heavy runs in worker threads: Pillow draws cards, speech engines call Google
or run espeak-ng. A file that cannot be made is never a lost message: the person gets
the words instead (or the draft's `instead`, which says why), and the failure is logged
(with the content key, never the words). `Draft.fell_back` tells the sender, so the record
of what was sent says words, not voice.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from bot.domain.clock import Clock
from bot.media.calendar import appointment_ics, filename
from bot.media.cards import CardDrawer, CardError
from bot.media.speech import Speech, SpeechError
from bot.rendering.outgoing import Draft, Media, MediaKind, Rendered

log = logging.getLogger(__name__)


class MediaMaker:
    def __init__(self, cards: CardDrawer, speech: Speech, clock: Clock) -> None:
        self.cards = cards
        self.speech = speech
        self._clock = clock

    async def make(self, draft: Draft) -> Rendered:
        """The message with its file; the words alone when there is none to make or it
        cannot be made."""
        if not draft.wants_media:
            return draft.words
        try:
            return await self._make(draft)
        except Exception as error:  # any failure of a file must still let the words go
            log.warning(
                "media not made; sending words",
                extra={"content_key": draft.key, "error": type(error).__name__},
                exc_info=not isinstance(error, SpeechError | CardError),  # expected: no trace
            )
            return draft.instead or draft.words

    async def _make(self, draft: Draft) -> Rendered:
        words = draft.words
        if draft.calendar is not None:
            data = await asyncio.to_thread(appointment_ics, draft.calendar, self._clock.now())
            name = filename(draft.calendar)
            media = Media(MediaKind.DOCUMENT, data, name, "text/calendar")
            return replace(words, media=media)  # the words' buttons, sound and protection
        if draft.card is not None:
            png = await asyncio.to_thread(self.cards.png, draft.card)
            media = Media(MediaKind.PHOTO, png, "card.png", "image/png")
            return replace(words, media=media, caption=draft.card.caption)
        if draft.speech is None:  # make() asks only when wants_media, which says otherwise
            raise ValueError("the draft wants media but has no calendar, card or voice")
        audio = await self.speech.say(draft.speech.text, draft.speech.language)
        media = Media(
            MediaKind.VOICE,
            audio.data,
            f"voice{audio.extension}",
            audio.mime_type,
            None,
            audio.duration,
        )
        return replace(words, media=media)
