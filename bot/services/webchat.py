"""The web chat's storage: its chats (links like Telegram's), the messages shown in them
and the files they hold.

A web chat's id is its capability, as a Telegram chat is: 192 random bits (base64url, 32
characters) in the page's address. Only what Waymark sends is kept, and the label of a
button the person pressed; words the person types are never stored (the page shows them
from its own memory).
"""

from __future__ import annotations

import re
import secrets
from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from bot.domain.clock import Clock
from bot.models import ChannelLink, WebchatFile, WebchatMessage
from bot.rendering.outgoing import Media, Rendered
from bot.services.invites import link_for_chat
from bot.storage import UnitOfWork

CHANNEL = "webchat"
CHAT_ID_BYTES = 24
CHAT_ID_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32}$")
TEXT_MAX = 4096  # the columns' sizes
CAPTION_MAX = 1024
PAGE = 200  # messages in one answer
RECENT = 50  # open buttons checked again when a page comes back


def new_chat_id() -> str:
    return secrets.token_urlsafe(CHAT_ID_BYTES)


def is_chat_id(value: str) -> bool:
    return bool(CHAT_ID_SHAPE.match(value))


@dataclass(frozen=True)
class Linked:
    chat_id: str
    created: bool  # a new link: nothing has been said in it yet


def link_person(uow: UnitOfWork, clock: Clock, person_id: int) -> Linked | None:
    """Link a person straight to a new web chat (the demo, or a coach's choice), or give
    their web chat if they have one. None when they are linked on another channel: one
    person has one chat, and a coach moves them with an invite."""
    link = uow.session.exec(select(ChannelLink).where(ChannelLink.person_id == person_id)).first()
    if link is not None:
        return Linked(link.chat_id, created=False) if link.channel == CHANNEL else None
    chat_id = new_chat_id()
    uow.session.add(
        ChannelLink(channel=CHANNEL, chat_id=chat_id, person_id=person_id, linked_at=clock.now())
    )
    uow.flush()
    return Linked(chat_id, created=True)


def chat_exists(session: Session, chat_id: str) -> bool:
    return is_chat_id(chat_id) and link_for_chat(session, CHANNEL, chat_id) is not None


def store(uow: UnitOfWork, clock: Clock, chat_id: str, message: Rendered) -> int:
    """Keep a message sent to the chat (and its file, once); return the message's id."""
    media = message.media
    sha256 = _keep_file(uow, clock, media) if media is not None else None
    row = WebchatMessage(
        chat_id=chat_id,
        text=message.text[:TEXT_MAX],
        caption=message.words_under_media[:CAPTION_MAX] if sha256 else None,
        buttons=[[{"label": b.label, "data": b.data} for b in row] for row in message.buttons],
        media_sha256=sha256,
        media_kind=str(media.kind) if media is not None and sha256 else None,
        silent=message.silent,
        at=clock.now(),
    )
    uow.session.add(row)
    uow.flush()
    if row.id is None:
        raise RuntimeError("a stored web chat message has no id")
    return row.id


def _keep_file(uow: UnitOfWork, clock: Clock, media: Media) -> str | None:
    """The file's SHA-256, stored once; None when there are no bytes and no stored file
    has that id (a Telegram file id, say: the words go alone)."""
    session = uow.session
    if not media.data:
        known = media.file_id and session.get(WebchatFile, media.file_id)
        return media.file_id if known else None
    if session.get(WebchatFile, media.sha256) is not None:
        return media.sha256
    # Sent to another chat at the same moment: it is there, and only the savepoint is undone.
    with suppress(IntegrityError), session.begin_nested():
        session.add(
            WebchatFile(
                sha256=media.sha256,
                mime_type=media.mime_type[:60],
                filename=media.filename[:120],
                data=media.data,
                created_at=clock.now(),
            )
        )
    return media.sha256


def close(uow: UnitOfWork, chat_id: str, message_id: int, text: str | None) -> bool:
    """Take the buttons off a message; with `text`, its words (a file's caption) become that."""
    row = _message(uow.session, chat_id, message_id)
    if row is None:
        return False
    row.closed = True
    if text is not None and row.media_sha256 is not None:
        row.caption = text[:CAPTION_MAX]
    elif text is not None:
        row.text = text[:TEXT_MAX]
    uow.session.add(row)
    return True


@dataclass(frozen=True)
class Pressable:
    label: str
    words: str  # the pressed message's words, for the note written under it


def pressable(session: Session, chat_id: str, message_id: int, data: str) -> Pressable | None:
    """The button with this data on an open message of the chat, if there is one."""
    row = _message(session, chat_id, message_id)
    if row is None or row.closed or row.from_person:
        return None
    for button in (b for line in row.buttons for b in line):
        if isinstance(button, dict) and button.get("data") == data:
            return Pressable(str(button.get("label", "")), words_of(row))
    return None


def is_closed(session: Session, chat_id: str, message_id: int) -> bool:
    row = _message(session, chat_id, message_id)
    return row is not None and row.closed


def record_press(uow: UnitOfWork, clock: Clock, chat_id: str, label: str) -> int:
    """The person's side of a press: the button's label (never typed words)."""
    row = WebchatMessage(chat_id=chat_id, from_person=True, text=label, at=clock.now())
    uow.session.add(row)
    uow.flush()
    if row.id is None:
        raise RuntimeError("a stored press has no id")
    return row.id


def words_of(row: WebchatMessage) -> str:
    """What the chat shows as the message's words: a file's caption, or its text."""
    return row.caption if row.media_sha256 is not None and row.caption is not None else row.text


def latest(session: Session, chat_id: str, limit: int = PAGE) -> list[WebchatMessage]:
    rows = session.exec(
        select(WebchatMessage)
        .where(WebchatMessage.chat_id == chat_id)
        .order_by(col(WebchatMessage.id).desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def after(session: Session, chat_id: str, last_id: int, limit: int = PAGE) -> list[WebchatMessage]:
    return list(
        session.exec(
            select(WebchatMessage)
            .where(WebchatMessage.chat_id == chat_id, col(WebchatMessage.id) > last_id)
            .order_by(col(WebchatMessage.id))
            .limit(limit)
        ).all()
    )


def by_ids(session: Session, chat_id: str, ids: set[int]) -> list[WebchatMessage]:
    if not ids:
        return []
    return list(
        session.exec(
            select(WebchatMessage)
            .where(WebchatMessage.chat_id == chat_id, col(WebchatMessage.id).in_(ids))
            .order_by(col(WebchatMessage.id))
        ).all()
    )


def with_buttons_up_to(session: Session, chat_id: str, last_id: int) -> list[WebchatMessage]:
    """The newest messages that had buttons, up to `last_id`: what a page that comes back
    may still show as open."""
    rows = session.exec(
        select(WebchatMessage)
        .where(WebchatMessage.chat_id == chat_id, col(WebchatMessage.id) <= last_id)
        .where(col(WebchatMessage.from_person).is_(False))
        .order_by(col(WebchatMessage.id).desc())
        .limit(RECENT)
    ).all()
    return [row for row in rows if row.buttons]


def file_for_chat(session: Session, chat_id: str, sha256: str) -> WebchatFile | None:
    """A file, only if it was sent to this chat."""
    shown = session.exec(
        select(WebchatMessage.id).where(
            WebchatMessage.chat_id == chat_id, WebchatMessage.media_sha256 == sha256
        )
    ).first()
    return session.get(WebchatFile, sha256) if shown is not None else None


def take_unlinked(uow: UnitOfWork, chat_id: str) -> list[str]:
    """The words sent to a chat that is not linked (a code that did not work), removed."""
    if link_for_chat(uow.session, CHANNEL, chat_id) is not None:
        return []
    rows = after(uow.session, chat_id, 0)
    uow.session.exec(delete(WebchatMessage).where(col(WebchatMessage.chat_id) == chat_id))
    return [row.text for row in rows]


def _message(session: Session, chat_id: str, message_id: int) -> WebchatMessage | None:
    row = session.get(WebchatMessage, message_id)
    return row if row is not None and row.chat_id == chat_id else None
