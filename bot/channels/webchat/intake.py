"""What the web chat page sends, handled as Telegram's updates are: typed words and button
presses become the same Incoming events, run one at a time per chat (ChatOrder), and go
to the conversation through the shared ReplyHandler, whose replies the WebchatChannel
keeps for the page.

Typed words are never stored (the page shows them from its own memory). A press is kept
as the button's label, on the person's side of the chat. An invite code can be redeemed
from the page, which links a new web chat as /start <code> links a Telegram chat.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from collections.abc import Coroutine
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.channels.base import Pressed
from bot.channels.chat_order import ChatOrder
from bot.channels.delivery import Delivery
from bot.channels.replies import ReplyHandler
from bot.channels.webchat.channel import CHANNEL, Bell, WebchatChannel
from bot.channels.webchat.feed import WebchatFeed
from bot.conversation.service import ConversationService
from bot.domain.chat import ChatRef
from bot.domain.clock import Clock
from bot.flows.types import Incoming, Kind
from bot.services import pairing, webchat
from bot.settings import SendingSettings
from bot.storage import UnitOfWorkFactory, committed

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    DONE = "done"
    NOT_A_BUTTON = "not_a_button"  # no such message in this chat, or not its button
    CLOSED = "closed"  # the message's buttons were taken off already
    FAILED = "failed"  # handling raised (logged): the person may try again


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    toast: str | None = None  # the short answer to a press, shown for a moment


@dataclass(frozen=True)
class Joined:
    chat_id: str  # the chat the code was tried in: the person's now, if linked
    linked: bool
    browser: str  # the browser's throttling key, kept in its cookie
    words: tuple[str, ...] = ()  # when not linked, what the bot said (wrong code, wait)
    throttled: bool = False  # too many wrong codes from this browser or address: not tried


class WebchatIntake:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        channel: WebchatChannel,
        handler: ReplyHandler,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._channel = channel
        self._handler = handler
        self._order = ChatOrder()

    async def say(self, chat_id: str, text: str) -> Answer:
        """Words the person typed (or a /command): handled, never stored."""
        chat = ChatRef(CHANNEL, chat_id)
        ok = await self._in_turn(chat_id, self._handler(chat, Incoming.from_text(text), None))
        return Answer(Outcome.DONE if ok else Outcome.FAILED)

    async def press(self, chat_id: str, message_id: int, data: str) -> Answer:
        """A button of a message in this chat; its label shows on the person's side."""
        answers: list[Answer] = []

        async def job() -> None:
            answers.append(await self._press(chat_id, message_id, data))

        ok = await self._in_turn(chat_id, job())
        return answers[0] if ok and answers else Answer(Outcome.FAILED)

    async def _press(self, chat_id: str, message_id: int, data: str) -> Answer:
        found = await asyncio.to_thread(self._pressable, chat_id, message_id, data)
        if isinstance(found, Outcome):
            return Answer(found)
        await asyncio.to_thread(self._record_press, chat_id, found.label)
        self._channel.bell.ring(chat_id)
        pressed = Pressed(secrets.token_hex(8), str(message_id), found.words)
        incoming = Incoming(Kind.BUTTON, button=data)
        await self._handler(ChatRef(CHANNEL, chat_id), incoming, pressed)
        return Answer(Outcome.DONE, self._channel.answer_for(pressed.query_id))

    async def join(self, code: str, browser: str | None, address: str | None = None) -> Joined:
        """Redeem an invite code in a new web chat. The chat's address is made here, fresh
        for each try: never taken from the browser, so nobody can plant one on a shared
        computer and read the chat later. Wrong codes are counted per `browser` (a random
        key in a cookie, for throttling only) and per `address` (pairing.address_key)."""
        if browser is None or not webchat.is_chat_id(browser):
            browser = webchat.new_chat_id()
        chat_id = webchat.new_chat_id()
        if await asyncio.to_thread(self._throttled, browser, address):
            log.info("link attempt", extra={"chat_id": chat_id[:8], "outcome": "throttled"})
            return Joined(chat_id, linked=False, browser=browser, throttled=True)
        chat = ChatRef(CHANNEL, chat_id)
        ok = await self._in_turn(
            chat_id, self._handler(chat, Incoming.from_text(f"/start {code}"), None)
        )
        if ok and await self._exists(chat_id):
            return Joined(chat_id, linked=True, browser=browser)
        await asyncio.to_thread(self._failed, browser, address)
        words = await asyncio.to_thread(self._take_unlinked, chat_id)
        return Joined(chat_id, linked=False, browser=browser, words=tuple(words))

    def _throttled(self, browser: str, address: str | None) -> bool:
        with self._uow() as uow:
            return pairing.join_throttled(uow.session, self._clock, browser, address)

    def _failed(self, browser: str, address: str | None) -> None:
        with committed(self._uow) as uow:
            pairing.join_failed(uow.session, self._clock, browser, address)

    async def link_person(self, person_id: int) -> str | None:
        """The person's web chat, linked now if they have no chat (and then welcomed, as
        an invite would); None when they are linked on another channel."""
        linked = await asyncio.to_thread(self._link, person_id)
        if linked is None:
            return None
        if linked.created:
            await self.say(linked.chat_id, "/start")
            log.info("web chat linked", extra={"person_id": person_id})
        return linked.chat_id

    async def drain(self) -> None:
        """Wait for what the pages sent so far to be handled."""
        await self._order.drain()

    async def _in_turn(self, chat_id: str, job: Coroutine[Any, Any, None]) -> bool:
        """Run `job` after the chat's earlier ones; wait for it, but let it finish even if
        the page goes away first. False when it raised (ChatOrder has logged it)."""
        finished: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        async def run() -> None:
            ok = False
            try:
                await job
                ok = True
            finally:
                finished.set_result(ok)

        self._order.spawn(_order_key(chat_id), run())
        return await asyncio.shield(finished)

    def _pressable(self, chat_id: str, message_id: int, data: str) -> webchat.Pressable | Outcome:
        with self._uow() as uow:
            found = webchat.pressable(uow.session, chat_id, message_id, data)
            if found is not None:
                return found
            closed = webchat.is_closed(uow.session, chat_id, message_id)
            return Outcome.CLOSED if closed else Outcome.NOT_A_BUTTON

    async def _exists(self, chat_id: str) -> bool:
        return await asyncio.to_thread(self._chat_exists, chat_id)

    def _chat_exists(self, chat_id: str) -> bool:
        with self._uow() as uow:
            return webchat.chat_exists(uow.session, chat_id)

    def _link(self, person_id: int) -> webchat.Linked | None:
        with committed(self._uow) as uow:
            return webchat.link_person(uow, self._clock, person_id)

    def _record_press(self, chat_id: str, label: str) -> int:
        with committed(self._uow) as uow:
            return webchat.record_press(uow, self._clock, chat_id, label)

    def _take_unlinked(self, chat_id: str) -> list[str]:
        with committed(self._uow) as uow:
            return webchat.take_unlinked(uow, chat_id)


def _order_key(chat_id: str) -> str:
    """The chat's place in ChatOrder, which logs it: a fingerprint, since the chat id
    itself opens the chat."""
    return "webchat:" + hashlib.sha256(chat_id.encode()).hexdigest()[:16]


@dataclass
class Webchat:
    """The web chat, as the composition root builds it and the web routes use it."""

    delivery: Delivery  # the dispatcher sends web chat rows through it
    intake: WebchatIntake  # what the page sends
    feed: WebchatFeed  # what the page shows

    def close(self) -> None:
        """The server is stopping: end the live streams."""
        self.feed.close()


def build_webchat(
    uow: UnitOfWorkFactory,
    clock: Clock,
    conversation: ConversationService,
    sending: SendingSettings,
) -> Webchat:
    bell = Bell()
    channel = WebchatChannel(uow, clock, bell)
    delivery = Delivery(channel, sending)
    intake = WebchatIntake(uow, clock, channel, ReplyHandler(conversation, delivery))
    return Webchat(delivery, intake, WebchatFeed(uow, bell))
