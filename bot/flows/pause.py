"""/stop pauses everything after a confirm; /start turns messages on again. Stopping
withdraws their consent to Waymark's messages (the consent history keeps it, and their
coach is told); starting again gives it. The confirm also offers "delete my data"
(bot/flows/my_data.py).

```mermaid
stateDiagram-v2
    [*] --> confirm: /stop
    confirm --> paused: yes
    confirm --> [*]: no
    confirm --> my_data: delete my data
    paused --> [*]: /start
```
"""

from __future__ import annotations

from bot.flows.types import (
    AlertRaised,
    Button,
    ConsentRecorded,
    Incoming,
    PauseChanged,
    PersonView,
    Result,
    Say,
    State,
)

PREFIX = "st"
SERVICE = "service"


def ask(state: State) -> Result:
    buttons = (
        (Button("stop_yes", f"{PREFIX}:yes"), Button("stop_no", f"{PREFIX}:no")),
        (Button("delete_my_data", "dd:ask"),),
    )
    return Result(state, say=(Say("stop_confirm", buttons=buttons),))


def handle(state: State, incoming: Incoming, person: PersonView) -> Result:
    answer = incoming.button.removeprefix(f"{PREFIX}:")
    if answer == "yes" and not person.paused:
        return Result(
            state,
            say=(Say("stopped"),),
            events=(
                PauseChanged(True),
                ConsentRecorded(SERVICE, "withdrawn"),
                AlertRaised("stopped"),
            ),
            close=True,
            chosen="stop_yes",
        )
    if answer == "no" or (answer == "yes" and person.paused):
        key = "stopped" if person.paused else "kept_going"
        return Result(state, say=(Say(key),), close=True, chosen=f"stop_{answer}")
    return Result(state, toast="not_understood", close=True)


def resume(state: State, person: PersonView) -> Result:
    return Result(
        state,
        say=(Say("resumed", {"name": person.name}),),
        events=(PauseChanged(False), ConsentRecorded(SERVICE, "given")),
    )
