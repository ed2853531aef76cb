"""The conversation service: one update in, one unit of work, the replies out.

It finds who the chat belongs to, loads the person and their flow state, runs the
flow, records what the flow decided, and renders the replies in the person's format.
It knows no framework.

Rendering has two steps. The words are decided inside the unit of work (quick, and each
message to a person is recorded in sent_message so its "Read it to me" and "Show me"
buttons can find it again); picture cards and voice notes are made after it, off the
event loop and outside the database thread (bot/media/maker.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlmodel import Session

from bot.content.crisis import CrisisWords, load_crisis_words
from bot.content.library import ContentLibrary
from bot.conversation import lock
from bot.domain.chat import ChatRef
from bot.domain.clock import Clock
from bot.flows import onboarding
from bot.flows.router import route
from bot.flows.types import Incoming, Kind, Result, Say, State
from bot.models import Account, ConversationState, Person
from bot.rendering.outgoing import Draft, Maker, Rendered, WordsOnly
from bot.rendering.renderer import VOICE, WORDS, Renderer, parse_again
from bot.services import engagement, events, invites, sent
from bot.services.flow_views import person_view, profile_of
from bot.services.invites import LinkOutcome
from bot.storage import UnitOfWork, UnitOfWorkFactory, committed

log = logging.getLogger(__name__)
LINK_REPLIES = {
    LinkOutcome.INVALID: "link_invalid",
    LinkOutcome.THROTTLED: "link_throttled",
    LinkOutcome.ALREADY_LINKED: "already_linked",
}


@dataclass(frozen=True)
class Reply:
    messages: tuple[Rendered, ...] = ()
    sent_ids: tuple[int | None, ...] = ()  # each message's sent_message row, if it has one
    as_words: tuple[bool, ...] = ()  # its voice note or card could not be made: words went
    toast: str | None = None
    close: bool = False  # take the buttons off the pressed message
    note: str | None = None  # and write this under it
    alerts_raised: bool = False

    def paired(self) -> list[tuple[Rendered, int | None, bool]]:
        """Each message with its sent_message row (None where it has none), and whether it
        went as words instead of its voice note or card."""
        missing = len(self.messages)
        ids = (*self.sent_ids, *(None,) * (missing - len(self.sent_ids)))
        as_words = (*self.as_words, *(False,) * (missing - len(self.as_words)))
        return list(zip(self.messages, ids, as_words, strict=False))


@dataclass(frozen=True)
class _Decided:
    """A Reply whose messages are still drafts."""

    drafts: tuple[Draft, ...] = ()
    toast: str | None = None
    close: bool = False
    note: str | None = None
    alerts_raised: bool = False


class ConversationService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        content: ContentLibrary,
        on_alert: Callable[[], None] | None = None,
        media: Maker | None = None,
        crisis: CrisisWords | None = None,
    ) -> None:
        self._crisis = crisis or load_crisis_words()
        self._uow = uow
        self._clock = clock
        self._content = content
        self._renderer = Renderer(content)
        self._on_alert = on_alert
        self._media = media or WordsOnly()

    def use_content(self, content: ContentLibrary) -> None:
        """Reply with `content` from now on (the library with a new dashboard edit)."""
        self._content = content
        self._renderer.content = content

    async def handle(self, chat: ChatRef, incoming: Incoming) -> Reply:
        decided = await asyncio.to_thread(self.decide, chat, incoming)
        if decided.alerts_raised and self._on_alert is not None:
            self._on_alert()
        messages = await asyncio.gather(*(self._media.make(d) for d in decided.drafts))
        drafts = decided.drafts
        return Reply(
            tuple(messages),
            tuple(draft.sent_id for draft in drafts),
            tuple(not d.repeat and d.fell_back(m) for d, m in zip(drafts, messages, strict=True)),
            decided.toast,
            decided.close,
            decided.note,
            decided.alerts_raised,
        )

    def decide(self, chat: ChatRef, incoming: Incoming) -> _Decided:
        """One update, one unit of work, committed once: linking a chat and the first
        step of onboarding go together or not at all."""
        with committed(self._uow) as uow:
            return self.decide_in(uow, chat, incoming)

    def decide_in(self, uow: UnitOfWork, chat: ChatRef, incoming: Incoming) -> _Decided:
        """`decide` inside a unit of work the caller commits (the demo's replay)."""
        lock.hold(uow.session, chat)  # one decision at a time per chat (lock.py)
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
        again = parse_again(incoming.button) if incoming.kind is Kind.BUTTON else None
        if again is not None:
            return self._again(uow.session, person, *again)
        state = _load_state(uow.session, person)
        view = person_view(uow.session, self._clock, person)
        if incoming.kind is Kind.TEXT and self._crisis.matches(incoming.text):
            incoming = replace(incoming, crisis=True)
        result = route(state, incoming, view)
        raised = events.apply(uow.session, self._clock, self._content, person, result.events)
        events.record_incoming(uow.session, self._clock, person, incoming)
        _save_state(uow.session, self._clock, person, result.state)
        decided = self._reply(uow.session, chat, person, result, alerts_raised=raised)
        log.info("update handled", extra={"person_id": person.id, "kind": incoming.kind})
        return decided

    def delivered(self, went: list[sent.Went]) -> None:
        """Note the channel's message ids of sent messages, and the format each really
        went in (the timeline shows them)."""
        with committed(self._uow) as uow:
            sent.delivered(uow.session, went)

    def mark_unreachable(self, chat: ChatRef) -> None:
        with committed(self._uow) as uow:
            events.mark_unreachable(uow.session, self._clock, chat)

    def _unlinked(self, uow: UnitOfWork, chat: ChatRef, incoming: Incoming) -> _Decided:
        if incoming.kind is Kind.COMMAND and incoming.command == "start" and incoming.argument:
            code = incoming.argument
        elif incoming.kind is Kind.TEXT and invites.is_code(incoming.text):
            code = incoming.text  # a pairing code typed on its own
        else:
            return self._say("unlinked")
        linked = invites.redeem(uow, self._clock, chat.channel, chat.chat_id, code)
        log.info("link attempt", extra={"chat_id": chat.log_id, "outcome": linked.outcome})
        if linked.outcome in LINK_REPLIES:
            return self._say(LINK_REPLIES[linked.outcome])
        if linked.coach_id is not None:
            coach = uow.session.get(Account, linked.coach_id)
            assert coach is not None
            return self._say("coach_linked", name=coach.name)
        person = uow.session.get(Person, linked.person_id)
        assert person is not None
        result = onboarding.start(person_view(uow.session, self._clock, person))
        _save_state(uow.session, self._clock, person, result.state)
        return self._reply(uow.session, chat, person, result)

    def _say(self, key: str, **variables: str) -> _Decided:
        """Words to a chat that is not a person's (yet): no formats, no buttons."""
        return _Decided(drafts=(self._renderer.render(Say(key, variables)),))

    def _reply(
        self,
        session: Session,
        chat: ChatRef,
        person: Person,
        result: Result,
        *,
        alerts_raised: bool = False,
    ) -> _Decided:
        assert person.id is not None
        profile = profile_of(person)
        drafts = []
        for say in result.say:
            words_only = self._content.message(say.key, profile.language).words_only
            format_ = WORDS if words_only else profile.format
            sent_id = sent.record(session, self._clock, person.id, chat.channel, say, format_)
            drafts.append(self._renderer.render(say, profile, sent_id=sent_id))
        note = None
        if result.chosen is not None:
            label = self._content.button(result.chosen, profile.language)
            note = self._renderer.text("you_said", profile.language, choice=label)
        toast = self._renderer.text(result.toast, profile.language) if result.toast else None
        return _Decided(tuple(drafts), toast, result.close, note, alerts_raised)

    def _again(self, session: Session, person: Person, format_: str, sent_id: int) -> _Decided:
        """ "Read it to me" or "Show me": the same message again, as a voice note or a
        picture card. Handled here, not in a flow: it repeats what was sent, and what was
        sent is a record only the service can read."""
        assert person.id is not None
        row = sent.for_person(session, person.id, sent_id)
        if row is None or row.content_key not in self._content.messages:
            return _Decided(toast=self._renderer.text("old_button", person.language))
        variables = {str(k): str(v) for k, v in row.variables.items()}
        say = Say(row.content_key, variables)
        draft = self._renderer.render(say, profile_of(person), sent_id=row.id, format_=format_)
        instead = None
        if format_ == VOICE:  # no voice note can be made: say so, then give the words
            sorry = self._renderer.text("voice_unavailable", person.language)
            instead = replace(draft.words, text=f"{sorry}\n\n{draft.words.text}")
        draft = replace(draft, repeat=True, instead=instead)
        detail = {"format": format_, "content_key": row.content_key, "sent_id": row.id}
        engagement.record(session, self._clock, person.id, "media_request", detail)
        return _Decided(drafts=(draft,))


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
