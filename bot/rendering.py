"""From what a flow said (content keys) to the words a person reads.

Until picture cards and voice notes land, every format renders as words; the person's
choice is kept on their profile.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.content import ContentLibrary
from bot.flows.types import Say

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedButton:
    label: str
    data: str


@dataclass(frozen=True)
class Rendered:
    text: str
    buttons: tuple[tuple[RenderedButton, ...], ...] = ()
    silent: bool = False


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        log.warning("content variable missing", extra={"variable": key})
        return ""


class Renderer:
    def __init__(self, content: ContentLibrary) -> None:
        self.content = content

    def render(self, say: Say, *, easy_read: bool = False, silent: bool = False) -> Rendered:
        message = self.content.message(say.key)
        template = message.easy if easy_read else message.text
        text = template.format_map(_Blank(say.variables))
        buttons = tuple(
            tuple(RenderedButton(self.content.button(b.label), b.data) for b in row)
            for row in say.buttons
        )
        return Rendered(text, buttons, silent or say.silent)

    def text(self, key: str, **variables: str) -> str:
        return self.render(Say(key, variables)).text
