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
    media_id: str = ""  # the channel's id of a voice note or photo that came in
    crisis: bool = False  # the words matched the crisis list (set by the service)

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
class AppointmentView:
    id: int
    revision: int
    starts_at: datetime
    place: str
    with_whom: str
    kind: str
    travel_note: str = ""  # the coach's words on how to get there ("Bus 36 to the green")
    latitude: float | None = None  # where the place is, when the coach gave it
    longitude: float | None = None

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Say:
    """A message to send: a content key, its variables and its buttons (rows). The
    renderer decides its format (words, picture card or voice note) from the person's
    profile; `calendar` sends the appointment as a calendar file with the words, and
    `venue` as a place the phone's maps can open (the words stand in where it cannot)."""

    key: str
    variables: dict[str, str] = field(default_factory=dict)
    buttons: tuple[tuple[Button, ...], ...] = ()
    silent: bool = False
    calendar: AppointmentView | None = None
    venue: AppointmentView | None = None  # a located appointment, sent as a place on a map


@dataclass(frozen=True)
class PersonView:
    """What a flow may know about the person it talks to."""

    name: str
    coach_name: str
    consent: str
    paused: bool
    format: str
    upcoming: tuple[AppointmentView, ...] = ()
    steps: tuple[StepView, ...] = ()  # the current step of each active goal
    goals: tuple[GoalView, ...] = ()
    # Their "About me" as it stands (topic codes and their own words), and whether IOM
    # staff may see it.
    about_me: dict[str, Any] | None = None
    shares_about_me: bool = False

    def appointment(self, appointment_id: int) -> AppointmentView | None:
        return next((a for a in self.upcoming if a.id == appointment_id), None)

    def step(self, step_id: int) -> StepView | None:
        return next((s for s in self.steps if s.id == step_id), None)


@dataclass(frozen=True)
class StepView:
    """A goal's current step, and the one after it (if any)."""

    id: int
    goal_title: str
    text: str
    next_id: int | None = None
    next_text: str | None = None


@dataclass(frozen=True)
class GoalView:
    title: str
    done: int
    total: int
    next_step: str | None


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
    name: str  # format | reminder_plan | quiet_from | discreet (on or off)
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
class StepAnswered:
    step_id: int
    answer: str  # done | some | not_yet | help


@dataclass(frozen=True)
class QuietDayChosen:
    """Amber or red: for 24 hours only appointment reminders and the coach's own words."""


@dataclass(frozen=True)
class Snoozed:
    outbox_id: int
    until: str  # hour | evening | morning


@dataclass(frozen=True)
class Relayed:
    """Words or a voice note for the coach, sent on with the person's reference only."""

    text: str = ""
    media_id: str = ""


@dataclass(frozen=True)
class ConsentRecorded:
    """A consent given, declined or withdrawn, for one purpose, in the chat."""

    purpose: str  # service | passport | evaluation
    decision: str  # given | declined | withdrawn


@dataclass(frozen=True)
class ErasureAsked:
    """They asked for their data to be deleted: their coach and an admin are told."""


@dataclass(frozen=True)
class AboutMeSaved:
    """A new version of their "About me": topic codes and their own words."""

    answers: dict[str, Any]
    words: str = ""
    voice_id: str = ""


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
    | StepAnswered
    | QuietDayChosen
    | Snoozed
    | Relayed
    | ConsentRecorded
    | ErasureAsked
    | AboutMeSaved
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
