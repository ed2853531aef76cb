"""Answers to an appointment reminder's buttons.

Answering once does not end a reminder: each answer's reply carries the buttons that still
make sense (KEPT), so "How do I get there" and "Add to calendar" stay within reach, and
"I am coming" comes back after "Running late".

```mermaid
flowchart LR
    reminder -->|coming| thanked
    reminder -->|late| told_coach
    reminder -->|cant_come| told_coach
    reminder -->|directions| place_links_and_venue
    reminder -->|calendar| calendar_file
    reminder -->|moved, cancelled or past| stale
    thanked --> still_open[buttons that still make sense]
    told_coach --> still_open
    place_links_and_venue --> still_open
```
"""

from __future__ import annotations

from bot.domain.journeys import journey_planner_url, map_url
from bot.domain.localtime import clock_time, spoken_date
from bot.flows.types import (
    AlertRaised,
    AppointmentView,
    Button,
    Engaged,
    Incoming,
    PersonView,
    ReminderAnswered,
    Result,
    Say,
    State,
)

PREFIX = "ap"
ANSWERS = ("coming", "late", "cant_come", "directions")
# What each answer says, and which ones the coach must hear about at once.
REPLIES = {
    "coming": "reply_coming",
    "late": "reply_late",
    "cant_come": "reply_cant_come",
    "directions": "reply_directions",
}
ALERTS = {"late": "late", "cant_come": "cant_come", "directions": "lost"}
# The answers a reply still offers after each answer ("Add to calendar" comes with them).
KEPT = {
    "coming": ("late", "directions"),
    "late": ("coming", "directions"),
    "cant_come": ("coming", "directions"),
    "directions": ("coming", "late", "cant_come"),
}
STALE = "stale"
# Not an answer: sends the appointment as a calendar file, so the phone can alarm too.
CALENDAR = "calendar"


def button_data(appointment_id: int, revision: int, answer: str) -> str:
    return f"{PREFIX}:{appointment_id}:{revision}:{answer}"


def reminder_buttons(
    appointment_id: int,
    revision: int,
    answers: tuple[str, ...] = ANSWERS,
    *,
    calendar: bool = True,
) -> tuple[tuple[Button, ...], ...]:
    """Two buttons a row, as many rows as needed; then "Add to calendar" on its own."""
    buttons = [Button(answer, button_data(appointment_id, revision, answer)) for answer in answers]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    if calendar:
        rows.append(calendar_row(appointment_id, revision))
    return tuple(rows)


def calendar_row(appointment_id: int, revision: int) -> tuple[Button, ...]:
    return (Button(CALENDAR, button_data(appointment_id, revision, CALENDAR)),)


def appointment_variables(appointment: AppointmentView) -> dict[str, str]:
    """Date, time, place and who, in the order people read them, on the London clock."""
    return {
        "date": spoken_date(appointment.starts_at),
        "time": clock_time(appointment.starts_at),
        "place": appointment.place,
        "with": appointment.with_whom,
        "kind": appointment.kind,  # picks the picture card's icon
    }


def parse(data: str) -> tuple[int, int, str] | None:
    parts = data.split(":")
    if len(parts) != 4 or parts[0] != PREFIX or parts[3] not in (*ANSWERS, CALENDAR):
        return None
    if not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    return int(parts[1]), int(parts[2]), parts[3]


def handle(state: State, incoming: Incoming, person: PersonView) -> Result:
    parsed = parse(incoming.button)
    if parsed is None:
        return Result(state, toast="not_understood")
    appointment_id, revision, answer = parsed
    appointment = person.appointment(appointment_id)
    if appointment is None or appointment.revision != revision:
        return Result(state, say=(Say("reply_stale"),), close=True, toast="reply_stale")
    if answer == CALENDAR:  # the reminder keeps its buttons: they may still answer it
        variables = appointment_variables(appointment)
        calendar_file = Say("calendar_file", variables, calendar=appointment)
        return Result(
            state,
            say=(calendar_file,),
            events=(Engaged("calendar_file", {"appointment_id": appointment_id}),),
        )

    events: list[ReminderAnswered | AlertRaised] = [ReminderAnswered(appointment_id, answer)]
    if answer in ALERTS:
        events.append(AlertRaised(ALERTS[answer], appointment_id=appointment_id))
    buttons = reminder_buttons(appointment_id, revision, KEPT[answer])
    if answer == "directions":
        say = directions(appointment, buttons)
    else:
        say = (Say(REPLIES[answer], {}, buttons),)
    return Result(state, say=say, events=tuple(events), close=True, chosen=answer)


def directions(
    appointment: AppointmentView, buttons: tuple[tuple[Button, ...], ...]
) -> tuple[Say, ...]:
    """The place, the coach's travel note, a journey planner link and a map link; first a
    pin the phone's maps can open, when the coach gave the place's coordinates."""
    place = appointment.place
    variables = {
        "place": place,
        "journey_url": journey_planner_url(place),
        "map_url": map_url(place, appointment.latitude, appointment.longitude),
    }
    if appointment.travel_note:
        variables["travel_note"] = appointment.travel_note
        reply = Say("reply_directions_note", variables, buttons)
    else:
        reply = Say("reply_directions", variables, buttons)
    pin = (Say("venue", {"place": place}, venue=appointment),) if appointment.located else ()
    return (*pin, reply)
