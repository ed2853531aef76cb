"""What goes out to a chat: a Rendered message (words, buttons and at most one file), and
the Draft it is made from.

A Draft is what the renderer decides inside the unit of work, quickly and without I/O: the
words, the buttons, and which file to make (a picture card, a voice note or a calendar
file). bot/media/maker.py makes the file off the event loop and turns the Draft into the
Rendered message a channel sends. A channel never sees a Draft.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Protocol


class MediaKind(StrEnum):
    PHOTO = "photo"  # a picture card: sendPhoto
    VOICE = "voice"  # a voice note: sendVoice
    DOCUMENT = "document"  # a file, such as a calendar entry: sendDocument


@dataclass(frozen=True)
class RenderedButton:
    label: str
    data: str


Keyboard = tuple[tuple[RenderedButton, ...], ...]


@dataclass(frozen=True)
class Media:
    """A file to send with a message. `file_id` is the channel's id of the same bytes
    uploaded before: a channel sends by it when it has one, and uploads `data` otherwise."""

    kind: MediaKind
    data: bytes
    filename: str
    mime_type: str
    file_id: str | None = None
    duration: int | None = None  # seconds, for voice notes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Venue:
    """A place a phone's maps can open (Telegram's sendVenue): its short name as the
    title, the whole place as the address."""

    latitude: float
    longitude: float
    title: str
    address: str


@dataclass(frozen=True)
class Rendered:
    """One message as a channel sends it: the words, the buttons and at most one file.

    With `media`, the words under the file are `caption` when it is set (a picture card's
    short caption), else `text`. `text` is always the whole message in words, so a channel
    that cannot send files sends `text` and loses nothing; the same goes for a `venue`."""

    text: str
    buttons: Keyboard = ()
    silent: bool = False
    media: Media | None = None
    caption: str | None = None
    protect: bool = False  # theirs alone: not to be forwarded or saved (protect_content)
    venue: Venue | None = None  # sent as a place on a map instead, where the channel can

    @property
    def words_under_media(self) -> str:
        return self.text if self.caption is None else self.caption


@dataclass(frozen=True)
class Sent:
    """What a channel reports after a send: the new message's id and, when it uploaded a
    file, the channel's id for that file (to send by next time)."""

    message_id: str
    file_id: str | None = None


@dataclass(frozen=True)
class Card:
    """A picture card with its words filled in, ready to draw."""

    kind: str  # appointment | nudge | checkin | progress
    icon: str
    title: str
    big: str
    small: tuple[str, ...] = ()
    caption: str = ""
    top: str = ""
    done: int | None = None
    total: int | None = None
    choices: tuple[str, ...] = ()  # check-in cards show the answers the buttons give

    def fingerprint(self) -> str:
        """The same card always has the same fingerprint (the card cache's key)."""
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Spoken:
    """Words for a voice note, in a language."""

    text: str
    language: str


@dataclass(frozen=True)
class CalendarEvent:
    """An appointment as a calendar file."""

    appointment_id: int
    revision: int
    starts_at: datetime
    place: str
    summary: str
    alarm: str


@dataclass(frozen=True)
class Draft:
    """A message decided but not yet made: `words` is what goes if no file can be made."""

    words: Rendered
    key: str = ""  # the content key, for logs
    card: Card | None = None
    speech: Spoken | None = None
    calendar: CalendarEvent | None = None
    sent_id: int | None = None  # the row in sent_message this message is recorded as
    # "Read it to me" or "Show me": the sent_message row's message again, in another format.
    repeat: bool = False
    instead: Rendered | None = None  # what goes when the file cannot be made (None: words)

    @property
    def wants_media(self) -> bool:
        return self.card is not None or self.speech is not None or self.calendar is not None

    def fell_back(self, made: Rendered) -> bool:
        """True when its voice note or card could not be made, so words went instead."""
        wanted = (
            MediaKind.VOICE
            if self.speech is not None
            else MediaKind.PHOTO
            if self.card is not None
            else None
        )
        return wanted is not None and (made.media is None or made.media.kind is not wanted)


class Maker(Protocol):
    """Makes a Draft's file, off the event loop: bot.media.maker.MediaMaker."""

    async def make(self, draft: Draft) -> Rendered: ...


class WordsOnly:
    """A Maker that makes no files: every message goes as words."""

    async def make(self, draft: Draft) -> Rendered:
        return draft.words
