"""Helpers for flow transcripts: a person, what they do, and what the bot decided, read as
plain lists so a test can compare a whole exchange at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.flows.router import route
from bot.flows.types import (
    AboutMeSaved,
    AppointmentView,
    ConsentDeclined,
    ConsentGiven,
    ConsentRecorded,
    Incoming,
    Kind,
    PauseChanged,
    PersonView,
    PreferenceChosen,
    Result,
    Say,
    State,
)

CAMBERWELL = "Camberwell Probation Office, 45 Camberwell Road"


def person(
    consent: str = "given",
    *,
    paused: bool = False,
    upcoming: tuple[AppointmentView, ...] = (),
) -> PersonView:
    return PersonView(
        name="Sam",
        coach_name="Alex",
        consent=consent,
        paused=paused,
        format="words",
        upcoming=upcoming,
    )


def appointment(
    appointment_id: int = 7, revision: int = 2, starts_at: datetime | None = None
) -> AppointmentView:
    return AppointmentView(
        id=appointment_id,
        revision=revision,
        starts_at=starts_at or datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
        place=CAMBERWELL,
        with_whom="Jo Green",
        kind="supervision",
    )


def press(data: str) -> Incoming:
    return Incoming(Kind.BUTTON, button=data)


def typed(text: str) -> Incoming:
    return Incoming.from_text(text)


def media() -> Incoming:
    return Incoming(Kind.MEDIA)


def keys(result: Result) -> list[str]:
    return [say.key for say in result.say]


def button_data(say: Say) -> list[list[str]]:
    return [[button.data for button in row] for row in say.buttons]


def button_labels(say: Say) -> list[list[str]]:
    return [[button.label for button in row] for row in say.buttons]


class Chat:
    """One person talking to the router. Between turns it does what the conversation
    service does with the events that matter to the next turn: consent, pause and the
    About me."""

    def __init__(self, who: PersonView, state: State | None = None) -> None:
        self.person = who
        self.state = state or State()
        self.results: list[Result] = []

    def send(self, incoming: Incoming) -> Result:
        result = route(self.state, incoming, self.person)
        self.state = result.state
        for event in result.events:
            match event:
                case ConsentGiven():
                    self.person = replace(self.person, consent="given")
                case ConsentDeclined():
                    self.person = replace(self.person, consent="declined")
                case PauseChanged(paused=paused):
                    self.person = replace(self.person, paused=paused)
                case PreferenceChosen(name="format", value=str(value)):
                    self.person = replace(self.person, format=value)
                case AboutMeSaved(answers=answers, words=words):
                    about = dict(answers) | ({"words": words} if words else {})
                    self.person = replace(self.person, about_me=about)
                case ConsentRecorded(purpose="passport", decision=decision):
                    self.person = replace(self.person, shares_about_me=decision == "given")
                case _:
                    pass
        self.results.append(result)
        return result
