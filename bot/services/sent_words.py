"""A sent message made again from its record (its content key and variables): its words
for a subject access export, and every card and voice note it may have gone as, so that
erasure can find them in the media cache. Unknown keys (an item since taken out of the
library) give nothing."""

from __future__ import annotations

from bot.flows.types import Say
from bot.models import SentMessage
from bot.rendering.outgoing import Draft
from bot.rendering.renderer import WORDS, Profile, Renderer

FORMATS_WITH_FILES = ("pictures", "voice")


def _remade(row: SentMessage) -> Say:
    return Say(row.content_key, {str(k): str(v) for k, v in row.variables.items()})


def words(renderer: Renderer, row: SentMessage, easy_read: bool, language: str) -> str | None:
    try:
        return renderer.render(_remade(row), Profile(WORDS, easy_read, language)).words.text
    except KeyError:
        return None


def drafts(renderer: Renderer, row: SentMessage, language: str) -> list[Draft]:
    """The message as a card and as a voice note, in plain and easy-read words: whichever
    it went as (a quieter day sends easy-read words to anyone)."""
    made = []
    for format_ in FORMATS_WITH_FILES:
        for easy_read in (False, True):
            try:
                made.append(renderer.render(_remade(row), Profile(format_, easy_read, language)))
            except KeyError:
                return []
    return made
