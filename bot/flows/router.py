"""Which flow answers what a linked person did.

```mermaid
flowchart TD
    incoming --> command{command?}
    command -->|/help| help
    command -->|/next| next
    command -->|/stop| pause
    command -->|/start| start{consent and pause}
    start -->|not given yet| onboarding
    start -->|paused| resume
    start -->|given| welcome_back
    incoming --> button{button prefix}
    button -->|ob| onboarding
    button -->|ap| reminder_replies
    button -->|st| pause
    incoming --> words{in onboarding?}
    words -->|yes| onboarding
    words -->|no| not_understood
```
"""

from __future__ import annotations

from bot.flows import help as help_flow
from bot.flows import onboarding, pause, reminder_replies
from bot.flows.types import Incoming, Kind, PersonView, Result, Say, State

# Commands shown in the chat's menu, in order; each is answered below.
COMMANDS = ("start", "next", "help", "stop")


def route(state: State, incoming: Incoming, person: PersonView) -> Result:
    if incoming.kind is Kind.COMMAND:
        return _command(state, incoming, person)
    if person.consent == "declined" and state.flow != onboarding.FLOW:
        return Result(state)  # they said not now: stay quiet until /start asks again
    if incoming.kind is Kind.BUTTON:
        return _button(state, incoming, person)
    if state.flow == onboarding.FLOW:
        return onboarding.handle(state, incoming, person)
    if person.paused:
        return Result(state, say=(Say("paused_note"),))
    key = "media_not_understood" if incoming.kind is Kind.MEDIA else "not_understood"
    return Result(state, say=(Say(key),))


def _command(state: State, incoming: Incoming, person: PersonView) -> Result:
    match incoming.command:
        case "help":
            return help_flow.show_help(state, person)
        case "next":
            return help_flow.show_next(state, person)
        case "stop":
            return pause.ask(state)
        case "start" if person.consent != "given" or state.flow == onboarding.FLOW:
            return onboarding.start(person)
        case "start" if person.paused:
            return pause.resume(state, person)
        case "start":
            return Result(state, say=(Say("welcome_back", {"name": person.name}),))
    if person.consent == "declined":
        return Result(state)
    return Result(state, say=(Say("not_understood"),))


def _button(state: State, incoming: Incoming, person: PersonView) -> Result:
    prefix = incoming.button.partition(":")[0]
    if prefix == onboarding.PREFIX:
        return onboarding.handle(state, incoming, person)
    if prefix == reminder_replies.PREFIX:
        return reminder_replies.handle(state, incoming, person)
    if prefix == pause.PREFIX:
        return pause.handle(state, incoming, person)
    return Result(state, toast="not_understood", close=True)
