"""/help and /next: what the bot does, where to get help, and the next appointment.

```mermaid
flowchart LR
    help_command[/help/] --> help --> signposting
    next_command[/next/] -->|an appointment ahead| next_appointment
    next_command -->|none| no_next_appointment
```
"""

from __future__ import annotations

from bot.flows.reminder_replies import appointment_variables, calendar_row
from bot.flows.types import Engaged, PersonView, Result, Say, State


def show_help(state: State, person: PersonView) -> Result:
    return Result(
        state,
        say=(Say("help", {"coach": person.coach_name}), Say("signposting")),
        events=(Engaged("command", {"command": "help"}),),
    )


def show_next(state: State, person: PersonView) -> Result:
    events = (Engaged("command", {"command": "next"}),)
    if not person.upcoming:
        return Result(state, say=(Say("no_next_appointment"),), events=events)
    soonest = min(person.upcoming, key=lambda appointment: appointment.starts_at)
    buttons = (calendar_row(soonest.id, soonest.revision),)
    say = Say("next_appointment", appointment_variables(soonest), buttons)
    return Result(state, say=(say,), events=events)
