"""Handing a conversation Reply to a channel: acknowledge the press, close the pressed
message, then send the messages in order. Shared by every channel adapter."""

from __future__ import annotations

import asyncio
import logging

from bot.channels.base import Pressed, Rejected, SendError, Unreachable
from bot.channels.delivery import Delivery
from bot.conversation.service import ConversationService, Reply
from bot.domain.chat import ChatRef
from bot.flows.types import Incoming
from bot.services.sent import Went

log = logging.getLogger(__name__)


class ReplyHandler:
    """One update: the conversation service decides, the delivery sends."""

    def __init__(self, conversation: ConversationService, delivery: Delivery) -> None:
        self._conversation = conversation
        self._delivery = delivery

    async def __call__(self, chat: ChatRef, incoming: Incoming, pressed: Pressed | None) -> None:
        reply = await self._conversation.handle(chat, incoming)
        try:
            await self._send(chat, reply, pressed)
        except Unreachable:
            await asyncio.to_thread(self._conversation.mark_unreachable, chat)
        except SendError as error:  # retries are spent; the person can press again
            log.warning("reply not sent", extra={"chat_id": chat.log_id, "error": str(error)})

    async def _send(self, chat: ChatRef, reply: Reply, pressed: Pressed | None) -> None:
        if pressed is not None:
            try:
                await self._delivery.answer_button(pressed.query_id, reply.toast)
            except SendError:  # an old query cannot be answered; the reply still goes
                log.info("button answer refused", extra={"chat_id": chat.log_id})
            if reply.close and pressed.message_id is not None:
                text = None
                if reply.note is not None and pressed.text:
                    text = f"{pressed.text}\n\n{reply.note}"
                try:
                    await self._delivery.close_buttons(chat.chat_id, pressed.message_id, text)
                except Rejected:  # too old to edit, or gone: the answer still matters more
                    log.info("pressed message not edited", extra={"chat_id": chat.log_id})
        delivered: list[Went] = []
        try:
            for message, sent_id, as_words in reply.paired():
                sent = await self._delivery.send(chat.chat_id, message)
                if sent_id is not None:
                    delivered.append(Went(sent_id, sent.message_id, as_words))
        finally:  # what went is noted even when a later message did not
            if delivered:
                await asyncio.to_thread(self._conversation.delivered, delivered)
