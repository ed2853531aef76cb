"""The conversation service: one update in, one unit of work, the replies out.

It finds who the chat belongs to, loads the person and their flow state, runs the
flow, records what the flow decided, and renders the replies. It knows no framework.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from bot.channels.base import ChatRef
from bot.clock import Clock
from bot.content import ContentLibrary
from bot.flows import onboarding
from bot.flows.router import route
from bot.flows.types import Incoming, Kind, Result, Say, State
from bot.models import Coach, ConversationState, Person
from bot.rendering import Rendered, Renderer
from bot.services import events, invites
from bot.services.invites import LinkOutcome
from bot.services.views import person_view
from bot.storage import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
LINK_REPLIES = {
    LinkOutcome.INVALID: "link_invalid",
    LinkOutcome.THROTTLED: "link_throttled",
    LinkOutcome.ALREADY_LINKED: "already_linked",
}


@dataclass(frozen=True)
class Reply:
    messages: tuple[Rendered, ...] = ()
    toast: str | None = None
    close: bool = False  # take the buttons off the pressed message
    note: str | None = None  # and write this under it
    alerts_raised: bool = False


class ConversationService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        content: ContentLibrary,
        on_alert: Callable[[], None] | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._content = content
        self._renderer = Renderer(content)
        self._on_alert = on_alert

    async def handle(self, chat: ChatRef, incoming: Incoming) -> Reply:
        reply = await asyncio.to_thread(self.handle_now, chat, incoming)
        if reply.alerts_raised and self._on_alert is not None:
            self._on_alert()
        return reply

    def handle_now(self, chat: ChatRef, incoming: Incoming) -> Reply:
        with self._uow() as uow:
            link = invites.link_for_chat(uow.session, chat.channel, chat.chat_id)
            if link is None:
                return self._unlinked(uow, chat, incoming)
            if link.coach_id is not None:
                return self._say("coach_chat")
            person = uow.session.get(Person, link.person_id)
            assert person is not None
            code = incoming.argument if incoming.command == "start" else ""
            if code and invites.invite_owner_differs(uow.session, self._clock, code, link):
                return self._say("already_linked")
            if link.unreachable_at is not None:  # they wrote to us: they can be reached again
                link.unreachable_at = None
                uow.session.add(link)
            state = _load_state(uow.session, person)
            view = person_view(uow.session, self._clock, person)
            result = route(state, incoming, view)
            raised = events.apply(uow.session, self._clock, self._content, person, result.events)
            events.record_incoming(uow.session, self._clock, person, incoming)
            _save_state(uow.session, self._clock, person, result.state)
            uow.commit()
            log.info("update handled", extra={"person_id": person.id, "kind": incoming.kind})
            return self._reply(result, easy_read=person.easy_read, alerts_raised=raised)

    def mark_unreachable(self, chat: ChatRef) -> None:
        with self._uow() as uow:
            if events.mark_unreachable(uow.session, self._clock, chat):
                uow.commit()

    def _unlinked(self, uow: UnitOfWork, chat: ChatRef, incoming: Incoming) -> Reply:
        if (
            incoming.kind is not Kind.COMMAND
            or incoming.command != "start"
            or not incoming.argument
        ):
            return self._say("unlinked")
        linked = invites.redeem(uow, self._clock, chat.channel, chat.chat_id, incoming.argument)
        log.info("link attempt", extra={"chat_id": chat.chat_id, "outcome": linked.outcome})
        if linked.outcome in LINK_REPLIES:
            return self._say(LINK_REPLIES[linked.outcome])
        if linked.coach_id is not None:
            coach = uow.session.get(Coach, linked.coach_id)
            assert coach is not None
            return self._say("coach_linked", name=coach.name)
        person = uow.session.get(Person, linked.person_id)
        assert person is not None
        result = onboarding.start(person_view(uow.session, self._clock, person))
        _save_state(uow.session, self._clock, person, result.state)
        uow.commit()
        return self._reply(result, easy_read=person.easy_read)

    def _say(self, key: str, **variables: str) -> Reply:
        return Reply(messages=(self._renderer.render(Say(key, variables)),))

    def _reply(self, result: Result, *, easy_read: bool, alerts_raised: bool = False) -> Reply:
        messages = tuple(self._renderer.render(say, easy_read=easy_read) for say in result.say)
        note = None
        if result.chosen is not None:
            label = self._content.button(result.chosen)
            note = self._renderer.text("you_said", choice=label)
        toast = self._renderer.text(result.toast) if result.toast else None
        return Reply(
            messages, toast=toast, close=result.close, note=note, alerts_raised=alerts_raised
        )


def _load_state(session: Session, person: Person) -> State:
    row = session.get(ConversationState, person.id)
    return State() if row is None else State(row.flow, row.step, dict(row.data))


def _save_state(session: Session, clock: Clock, person: Person, state: State) -> None:
    assert person.id is not None
    row = session.get(ConversationState, person.id)
    if row is None:
        row = ConversationState(person_id=person.id, updated_at=clock.now())
    row.flow, row.step, row.data = state.flow, state.step, dict(state.data)
    row.updated_at = clock.now()
    session.add(row)
