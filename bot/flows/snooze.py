"""Snooze a nudge: only that one message moves.

```mermaid
flowchart LR
    nudge -->|1 hour| later
    nudge -->|this evening| later
    nudge -->|tomorrow morning| later
```
"""

from __future__ import annotations

from bot.flows.types import Button, Incoming, Result, Say, Snoozed, State

PREFIX = "sz"
CHOICES = ("hour", "evening", "morning")


def buttons(outbox_id: int) -> tuple[Button, ...]:
    return tuple(Button(f"snooze_{c}", f"{PREFIX}:{outbox_id}:{c}") for c in CHOICES)


def handle(state: State, incoming: Incoming) -> Result:
    parts = incoming.button.split(":")
    if len(parts) != 3 or not parts[1].isdigit() or parts[2] not in CHOICES:
        return Result(state, toast="not_understood", close=True)
    choice = parts[2]
    return Result(
        state,
        say=(Say(f"snoozed_{choice}"),),
        events=(Snoozed(int(parts[1]), choice),),
        close=True,
        chosen=f"snooze_{choice}",
    )
