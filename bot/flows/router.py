"""Which flow answers what a linked person did.

```mermaid
flowchart TD
    incoming --> crisis{crisis words?}
    crisis -->|yes| coach
    incoming --> command{command?}
    command -->|/help| help
    command -->|/next| next
    command -->|/plan| checkin
    command -->|/mood| mood
    command -->|/coach| coach
    command -->|/stop| pause
    command -->|/aboutme| about_me
    command -->|/start| start{consent and pause}
    start -->|not given yet| onboarding
    start -->|paused| resume
    start -->|given| welcome_back
    incoming --> button{button prefix}
    button -->|ob| onboarding
    button -->|ap| reminder_replies
    button -->|st| pause
    button -->|dd| my_data
    button -->|am| about_me
    button -->|ci, cf| checkin
    button -->|md, qd| mood
    button -->|tc| coach
    button -->|sz| snooze
    incoming --> words{in a flow?}
    words -->|onboarding| onboarding
    words -->|talking to the coach| coach
    words -->|building About me| about_me
    words -->|no| not_understood
```
"""

from __future__ import annotations

from bot.flows import (
    about_me,
    checkin,
    coach,
    mood,
    my_data,
    onboarding,
    pause,
    reminder_replies,
    snooze,
)
from bot.flows import help as help_flow
from bot.flows.types import Incoming, Kind, PersonView, Result, Say, State

# Commands shown in the chat's menu, in order; each is answered below.
COMMANDS = ("start", "next", "plan", "mood", "coach", "aboutme", "help", "stop")


def route(state: State, incoming: Incoming, person: PersonView) -> Result:
    if state.flow == coach.FLOW and incoming.kind is not Kind.COMMAND:
        return coach.handle(state, incoming)
    if incoming.crisis:  # before anything else, whatever they agreed to
        return coach.crisis(state)
    if incoming.kind is Kind.COMMAND:
        return _command(state, incoming, person)
    if state.flow == about_me.FLOW and incoming.kind in (Kind.TEXT, Kind.MEDIA):
        return about_me.handle(state, incoming, person)
    deleting = incoming.button.startswith(f"{my_data.PREFIX}:")  # their right, whatever they said
    if person.consent == "declined" and state.flow != onboarding.FLOW and not deleting:
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
        case "plan":
            return checkin.show_plan(state, person)
        case "mood":
            return mood.start(state)
        case "coach":
            return coach.start()
        case "stop":
            return pause.ask(state)
        case "aboutme":
            return about_me.start(person)
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
    match incoming.button.partition(":")[0]:
        case onboarding.PREFIX:
            return onboarding.handle(state, incoming, person)
        case reminder_replies.PREFIX:
            return reminder_replies.handle(state, incoming, person)
        case pause.PREFIX:
            return pause.handle(state, incoming, person)
        case my_data.PREFIX:
            return my_data.handle(state, incoming, person)
        case about_me.PREFIX:
            return about_me.handle(state, incoming, person)
        case checkin.PREFIX:
            return checkin.handle(state, incoming, person)
        case checkin.SURE_PREFIX:
            return checkin.handle_sure(state, incoming, person)
        case mood.PREFIX:
            return mood.handle(state, incoming)
        case mood.QUIET_PREFIX:
            return mood.handle_quiet_day(state, incoming)
        case coach.PREFIX:
            return coach.handle(state, incoming)
        case snooze.PREFIX:
            return snooze.handle(state, incoming)
    return Result(state, toast="not_understood", close=True)
