"""The traffic-light mood check-in, and a quieter day after amber or red.

```mermaid
stateDiagram-v2
    [*] --> asked: /mood, or the coach's schedule
    asked --> [*]: green
    asked --> offer: amber
    asked --> offer: red (urgent alert, signposting)
    offer --> [*]: a quieter day, yes or no
```
"""

from __future__ import annotations

from bot.flows.types import (
    AlertRaised,
    Button,
    Engaged,
    Event,
    Incoming,
    QuietDayChosen,
    Result,
    Say,
    State,
)

PREFIX = "md"
QUIET_PREFIX = "qd"
COLOURS = ("green", "amber", "red")


def ask() -> Say:
    buttons = (tuple(Button(f"mood_{c}", f"{PREFIX}:{c}") for c in COLOURS),)
    return Say("mood_ask", buttons=buttons)


def start(state: State) -> Result:
    return Result(state, say=(ask(),), events=(Engaged("command", {"command": "mood"}),))


def _offer_quiet_day() -> Say:
    buttons = (
        (
            Button("quiet_day_yes", f"{QUIET_PREFIX}:yes"),
            Button("quiet_day_no", f"{QUIET_PREFIX}:no"),
        ),
    )
    return Say("quiet_day_offer", buttons=buttons)


def handle(state: State, incoming: Incoming) -> Result:
    colour = incoming.button.removeprefix(f"{PREFIX}:")
    if colour not in COLOURS:
        return Result(state, toast="not_understood", close=True)
    events: list[Event] = [Engaged("mood", {"colour": colour})]
    say = [Say(f"mood_{colour}_reply")]
    if colour == "red":
        events.append(AlertRaised("mood_red", urgent=True))
        say.append(Say("signposting"))
    if colour != "green":
        say.append(_offer_quiet_day())
    return Result(state, say=tuple(say), events=tuple(events), close=True, chosen=f"mood_{colour}")


def handle_quiet_day(state: State, incoming: Incoming) -> Result:
    answer = incoming.button.removeprefix(f"{QUIET_PREFIX}:")
    if answer == "yes":
        return Result(
            state,
            say=(Say("quiet_day_on"),),
            events=(QuietDayChosen(),),
            close=True,
            chosen="quiet_day_yes",
        )
    if answer == "no":
        return Result(state, say=(Say("quiet_day_off"),), close=True, chosen="quiet_day_no")
    return Result(state, toast="not_understood", close=True)
