"""Talk to my coach: the person's next message (words or a voice note) goes to their
coach, with their case reference only. Also what free text and crisis words get.

```mermaid
stateDiagram-v2
    [*] --> waiting: /coach or the talk-to-my-coach button
    waiting --> [*]: words or a voice note (sent on)
    waiting --> [*]: cancel
```
"""

from __future__ import annotations

from bot.flows.types import (
    IDLE,
    AlertRaised,
    Button,
    Event,
    Incoming,
    Kind,
    Relayed,
    Result,
    Say,
    State,
)

FLOW = "coach"
PREFIX = "tc"
MAX_RELAY = 1000


def start() -> Result:
    cancel = ((Button("cancel", f"{PREFIX}:cancel"),),)
    return Result(State(FLOW, "waiting"), say=(Say("relay_ask", buttons=cancel),))


def handle(state: State, incoming: Incoming) -> Result:
    """A message while waiting, or the start and cancel buttons."""
    if incoming.kind is Kind.BUTTON:
        if incoming.button == f"{PREFIX}:start":
            return start()
        if incoming.button == f"{PREFIX}:cancel" and state.flow == FLOW:
            return Result(IDLE, say=(Say("relay_cancelled"),), close=True, chosen="cancel")
        return Result(state, toast="not_understood", close=True)
    events: list[Event]
    if incoming.kind is Kind.TEXT and incoming.text:
        words = incoming.text[:MAX_RELAY]
        events = [Relayed(text=words), AlertRaised("message", detail=words[:300])]
        say = [Say("relay_sent")]
        if incoming.crisis:  # the coach hears at once either way; the person gets help now
            events.append(AlertRaised("crisis", urgent=True))
            say.append(Say("signposting"))
        return Result(IDLE, say=tuple(say), events=tuple(events))
    if incoming.kind is Kind.MEDIA and incoming.media_id:
        events = [Relayed(media_id=incoming.media_id), AlertRaised("message", "voice note")]
        return Result(IDLE, say=(Say("relay_sent"),), events=tuple(events))
    return Result(state, say=(Say("relay_ask_again"),))


def crisis(state: State) -> Result:
    """Free text with crisis words: help at once, and the coach is told (urgent)."""
    return Result(
        state,
        say=(Say("crisis_reply"), Say("signposting")),
        events=(AlertRaised("crisis", urgent=True),),
    )
