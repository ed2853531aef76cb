"""Check-ins on a goal's current step, then how sure the person feels; and /plan.

```mermaid
stateDiagram-v2
    [*] --> asked: a scheduled check-in
    asked --> sure: done (the next step is named)
    asked --> sure: some of it
    asked --> sure: not yet
    asked --> sure: I need help (the coach is told)
    sure --> [*]: 0 to 10
    asked --> [*]: the step changed since (old)
```
"""

from __future__ import annotations

from bot.flows.types import (
    AlertRaised,
    Button,
    Engaged,
    Event,
    Incoming,
    PersonView,
    Result,
    Say,
    State,
    StepAnswered,
    StepView,
)

PREFIX = "ci"
SURE_PREFIX = "cf"
ANSWERS = ("done", "some", "not_yet", "help")
REPLIES = {
    "done": "checkin_done",
    "some": "checkin_some",
    "not_yet": "checkin_not_yet",
    "help": "checkin_help",
}
SCALE = range(11)


def ask(step: StepView) -> Say:
    """The check-in message itself (the dispatcher sends it on the schedule)."""
    buttons = tuple(
        tuple(Button(f"checkin_{a}", f"{PREFIX}:{step.id}:{a}") for a in row)
        for row in (ANSWERS[:2], ANSWERS[2:])
    )
    return Say("checkin_ask", {"goal": step.goal_title, "step": step.text}, buttons)


def _how_sure(step_id: int, step_text: str) -> Say:
    numbers = [Button(f"scale_{n}", f"{SURE_PREFIX}:{step_id}:{n}") for n in SCALE]
    rows = (tuple(numbers[:6]), tuple(numbers[6:]))
    return Say("checkin_how_sure", {"step": step_text}, rows)


def _parse(data: str, prefix: str) -> tuple[int, str] | None:
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != prefix or not parts[1].isdigit():
        return None
    return int(parts[1]), parts[2]


def handle(state: State, incoming: Incoming, person: PersonView) -> Result:
    parsed = _parse(incoming.button, PREFIX)
    if parsed is None or parsed[1] not in ANSWERS:
        return Result(state, toast="not_understood", close=True)
    step_id, answer = parsed
    step = person.step(step_id)
    if step is None:  # done already, or the coach changed the plan
        return Result(state, say=(Say("checkin_old"),), close=True, toast="checkin_old")
    events: list[Event] = [StepAnswered(step_id, answer)]
    say = [Say(REPLIES[answer], {"step": step.next_text or ""})]
    if answer == "help":
        events.append(AlertRaised("checkin_help", detail=step.text))
    ask_id, ask_text = (step.next_id, step.next_text) if answer == "done" else (step.id, step.text)
    if ask_id is None or ask_text is None:  # that was the goal's last step
        say = [Say("checkin_goal_done", {"goal": step.goal_title})]
    else:
        say.append(_how_sure(ask_id, ask_text))
    return Result(
        state, say=tuple(say), events=tuple(events), close=True, chosen=f"checkin_{answer}"
    )


def handle_sure(state: State, incoming: Incoming, person: PersonView) -> Result:
    parsed = _parse(incoming.button, SURE_PREFIX)
    if parsed is None or not parsed[1].isdigit() or int(parsed[1]) not in SCALE:
        return Result(state, toast="not_understood", close=True)
    step_id, value = parsed[0], int(parsed[1])
    if person.step(step_id) is None:
        return Result(state, say=(Say("checkin_old"),), close=True, toast="checkin_old")
    event = Engaged("checkin_sure", {"step_id": step_id, "sure": value})
    return Result(
        state, say=(Say("checkin_thanks"),), events=(event,), close=True, chosen=f"scale_{value}"
    )


def show_plan(state: State, person: PersonView) -> Result:
    events = (Engaged("command", {"command": "plan"}),)
    if not person.goals:
        return Result(state, say=(Say("plan_none"),), events=events)
    say = tuple(
        Say(
            "plan_goal" if goal.next_step else "plan_goal_done",
            {
                "goal": goal.title,
                "done": str(goal.done),
                "total": str(goal.total),
                "step": goal.next_step or "",
            },
        )
        for goal in person.goals
    )
    return Result(state, say=say, events=events)
