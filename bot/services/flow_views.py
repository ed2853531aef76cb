"""The read-only picture of a person that flows are given."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.domain.clock import Clock
from bot.flows.types import AppointmentView, GoalView, PersonView, StepView
from bot.models import Appointment, GoalStatus, Person, StepStatus
from bot.rendering.renderer import Profile
from bot.services import consent_history, passport, plans
from bot.services.alerts import coach_of
from bot.services.appointments import upcoming


def appointment_view(appointment: Appointment) -> AppointmentView:
    assert appointment.id is not None
    return AppointmentView(
        id=appointment.id,
        revision=appointment.revision,
        starts_at=appointment.starts_at,
        place=appointment.place,
        with_whom=appointment.with_whom,
        kind=appointment.kind,
        travel_note=appointment.travel_note or "",
        latitude=appointment.latitude,
        longitude=appointment.longitude,
    )


def person_view(session: Session, clock: Clock, person: Person) -> PersonView:
    return PersonView(
        name=person.preferred_name,
        coach_name=coach_of(session, person).name,
        consent=person.consent,
        paused=person.paused,
        format=person.format,
        upcoming=tuple(appointment_view(a) for a in upcoming(session, clock, person)),
        steps=tuple(current_steps(session, person)),
        goals=tuple(goal_views(session, person)),
        about_me=about_me(session, person),
        shares_about_me=person.id is not None
        and consent_history.shares_passport(session, person.id),
    )


def about_me(session: Session, person: Person) -> dict[str, Any] | None:
    """Their newest "About me": topic codes, their own words, and anything else they said."""
    assert person.id is not None
    found = passport.latest_row(session, person.id)
    if found is None:
        return None
    row = found[0]
    return dict(row.answers) | ({"words": row.words} if row.words else {})


def current_steps(session: Session, person: Person) -> list[StepView]:
    """The step each active goal is on, with the one after it."""
    assert person.id is not None
    views = []
    for goal in plans.goals_of(session, person.id):
        if goal.id is None or goal.status != GoalStatus.ACTIVE:
            continue
        todo = [s for s in plans.steps(session, goal.id) if s.status == StepStatus.TODO]
        if todo and todo[0].id is not None:
            following = todo[1] if len(todo) > 1 else None
            views.append(
                StepView(
                    todo[0].id,
                    goal.title,
                    todo[0].text,
                    following.id if following else None,
                    following.text if following else None,
                )
            )
    return views


def goal_views(session: Session, person: Person) -> list[GoalView]:
    assert person.id is not None
    views = []
    for goal in plans.goals_of(session, person.id):
        if goal.id is None or goal.status == GoalStatus.STOPPED:
            continue
        steps = plans.steps(session, goal.id)
        done = sum(1 for s in steps if s.status == StepStatus.DONE)
        following = next((s.text for s in steps if s.status == StepStatus.TODO), None)
        views.append(GoalView(goal.title, done, len(steps), following))
    return views


def profile_of(person: Person) -> Profile:
    """How the person likes their messages: format, easy-read words, language, and
    whether first lines stay discreet."""
    return Profile(person.format, person.easy_read, person.language, person.discreet_previews)
