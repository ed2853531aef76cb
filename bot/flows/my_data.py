""" "Delete my data", from the /stop question: a confirm, then their coach and an admin
are told, and every message stops at once.

Deleting is an admin's job (the law may ask Waymark to keep some of it for a while), so
the person is told what happens next: their coach will talk to them. Saying no changes
nothing.

```mermaid
stateDiagram-v2
    [*] --> confirm: delete my data
    confirm --> asked: yes
    confirm --> [*]: no
    asked --> [*]
```
"""

from __future__ import annotations

from bot.flows.types import (
    AlertRaised,
    Button,
    ConsentRecorded,
    ErasureAsked,
    Event,
    Incoming,
    PauseChanged,
    PersonView,
    Result,
    Say,
    State,
)

PREFIX = "dd"


def handle(state: State, incoming: Incoming, person: PersonView) -> Result:
    match incoming.button.removeprefix(f"{PREFIX}:"):
        case "ask":
            buttons = (
                (Button("delete_yes", f"{PREFIX}:yes"),),
                (Button("delete_no", f"{PREFIX}:no"),),
            )
            say = Say("delete_confirm", buttons=buttons)
            return Result(state, say=(say,), close=True, chosen="delete_my_data")
        case "yes":
            events: tuple[Event, ...] = (
                ConsentRecorded("service", "withdrawn"),
                ErasureAsked(),
                AlertRaised("delete_request"),
            )
            if not person.paused:
                events = (PauseChanged(True), *events)
            return Result(
                state, say=(Say("delete_asked"),), events=events, close=True, chosen="delete_yes"
            )
        case "no":
            key = "paused_note" if person.paused else "kept_going"
            return Result(state, say=(Say(key),), close=True, chosen="delete_no")
    return Result(state, toast="not_understood", close=True)
