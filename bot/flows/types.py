"""The vocabulary flows speak: what came in, what the person's world looks like, and
what should happen. Plain data only: no framework, no ORM, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    TEXT = "text"
    COMMAND = "command"
    BUTTON = "button"
    MEDIA = "media"


@dataclass(frozen=True)
class Incoming:
    """One thing a person did in the chat."""

    kind: Kind
    text: str = ""
    command: str = ""
    argument: str = ""
    button: str = ""

    @classmethod
    def from_text(cls, text: str) -> Incoming:
        """A typed message; '/name arg' becomes a command."""
        stripped = text.strip()
        if stripped.startswith("/") and len(stripped) > 1:
            head, _, argument = stripped[1:].partition(" ")
            command = head.split("@", 1)[0].lower()
            return cls(Kind.COMMAND, text=stripped, command=command, argument=argument.strip())
        return cls(Kind.TEXT, text=stripped)


@dataclass(frozen=True)
class Button:
    label: str  # a content key from the buttons table
    data: str  # at most 64 bytes: what comes back when it is pressed


@dataclass(frozen=True)
class Say:
    """A message to send: a content key, its variables and its buttons (rows)."""

    key: str
    variables: dict[str, str] = field(default_factory=dict)
    buttons: tuple[tuple[Button, ...], ...] = ()
    silent: bool = False


@dataclass(frozen=True)
class AppointmentView:
    id: int
    revision: int
    starts_at: datetime
    place: str
    with_whom: str
    kind: str


@dataclass(frozen=True)
class PersonView:
    """What a flow may know about the person it talks to."""

    name: str
    coach_name: str
    consent: str
    paused: bool
    format: str
    upcoming: tuple[AppointmentView, ...] = ()

    def appointment(self, appointment_id: int) -> AppointmentView | None:
        return next((a for a in self.upcoming if a.id == appointment_id), None)


@dataclass(frozen=True)
class State:
    flow: str = ""
    step: str = ""
    data: dict[str, Any] = field(default_factory=dict)


IDLE = State()


# Domain events: what the conversation service must record. Flows only describe them.
@dataclass(frozen=True)
class ConsentGiven:
    pass


@dataclass(frozen=True)
class ConsentDeclined:
    pass


@dataclass(frozen=True)
class PreferenceChosen:
    name: str  # format | reminder_plan | quiet_from
    value: str | None


@dataclass(frozen=True)
class OnboardingFinished:
    pass


@dataclass(frozen=True)
class ReminderAnswered:
    appointment_id: int
    answer: str  # coming | late | cant_come | directions


@dataclass(frozen=True)
class AlertRaised:
    kind: str  # a key of alert_kinds in the content library
    detail: str = ""
    urgent: bool = False
    appointment_id: int | None = None


@dataclass(frozen=True)
class PauseChanged:
    paused: bool


@dataclass(frozen=True)
class Engaged:
    """Anything else worth counting (a command used, a practice tap)."""

    kind: str
    detail: dict[str, Any] = field(default_factory=dict)


Event = (
    ConsentGiven
    | ConsentDeclined
    | PreferenceChosen
    | OnboardingFinished
    | ReminderAnswered
    | AlertRaised
    | PauseChanged
    | Engaged
)


@dataclass(frozen=True)
class Result:
    """What a flow decided: the new state, what to say, what to record, and for a
    button press the label to mark the pressed message with (so it cannot be pressed
    again by mistake)."""

    state: State
    say: tuple[Say, ...] = ()
    events: tuple[Event, ...] = ()
    close: bool = False  # take the buttons off the pressed message
    chosen: str | None = None  # and say which one was pressed (a button key)
    toast: str | None = None  # short text shown on the pressed button (a content key)
