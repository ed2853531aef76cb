"""The coaching between appointments, changed from a person's page: goals and their
small steps, check-in and mood check-in schedules, and nudges."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from bot.domain.actor import Actor
from bot.domain.errors import Invalid, NotFound
from bot.models import Account, Goal, Nudge, Person
from bot.models.plans import CoachingModel
from bot.services import audit, nudges, plans, schedules
from bot.services.access import Can, person_for
from bot.storage import UnitOfWork
from web.auth import CurrentAccount
from web.deps import ClockDep, ContentDep, SettingsDep, UowDep
from web.pages import person_page
from web.pages.forms import done, person_url, read_date, read_moment, ref_from_url

router = APIRouter()
Text = Annotated[str, Form(max_length=2000)]
TITLE_MAX = 120
STEP_MAX = 160
SPEC_HINT = "like mon,thu 18:00 or weekdays 08:30"


def _person(uow: UnitOfWork, account: Account, ref: str) -> Person:
    return person_for(uow.session, account, ref_from_url(ref), Can.EDIT)


def _goal(uow: UnitOfWork, person: Person, goal_id: int) -> Goal:
    goal = uow.session.get(Goal, goal_id)
    if goal is None or goal.person_id != person.id:
        raise NotFound(f"no goal {goal_id} for {person.ref}")
    return goal


def _sentence(problem: Exception) -> str:
    text = str(problem)
    return text[:1].upper() + text[1:]


def _audit(
    uow: UnitOfWork, clock: ClockDep, account: Account, subject: str, person: Person
) -> None:
    audit.record(uow.session, clock, account.id, "change", subject, person_id=person.id)


@router.post("/people/{ref}/goals", response_model=None)
def add_goal(
    request: Request,
    ref: str,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    account: CurrentAccount,
    title: Text = "",
    model: Text = "",
) -> Response:
    found = _person(uow, account, ref)
    title = " ".join(title.split())
    values = {"goal-title": title, "goal-model": model}
    errors = {}
    if not title:
        errors["goal-title"] = "Enter the goal, in their words"
    elif len(title) > TITLE_MAX:
        errors["goal-title"] = f"A goal has {TITLE_MAX} characters at most"
    if model not in {m.value for m in CoachingModel}:
        errors["goal-model"] = "Choose GROW or OSCAR"
    if not errors:
        _audit(uow, clock, account, "new goal", found)
        plans.add_goal(uow, clock, found.ref, title, model)
        return done(request, person_url(found.ref, "#goals"), "Goal added")
    return person_page.show(
        request, uow, clock, content, settings, account, found, errors=errors, values=values
    )


@router.post("/people/{ref}/goals/{goal_id}/steps", response_model=None)
def add_step(
    request: Request,
    ref: str,
    goal_id: int,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    account: CurrentAccount,
    text: Text = "",
    due: Text = "",
) -> Response:
    found = _person(uow, account, ref)
    _goal(uow, found, goal_id)
    text = " ".join(text.split())
    field, due_field = f"goal-{goal_id}-step", f"goal-{goal_id}-due"
    values = {field: text, due_field: due}
    errors: dict[str, str] = {}
    if not text:
        errors[field] = "Enter the step, in a few words"
    elif len(text) > STEP_MAX:
        errors[field] = f"A step has {STEP_MAX} characters at most"
    due_on: date | None = None
    if due.strip():
        due_on = read_date(due, due_field, errors, "date it is due")
    if not errors:
        _audit(uow, clock, account, f"goal {goal_id}", found)
        try:
            plans.add_step(uow, clock, goal_id, text, due_on)
        except Invalid as problem:
            errors[due_field if due_on else field] = _sentence(problem)
        else:
            return done(request, person_url(found.ref, "#goals"), "Step added")
    return person_page.show(
        request, uow, clock, content, settings, account, found, errors=errors, values=values
    )


@router.post("/people/{ref}/goals/{goal_id}/checkins", response_model=None)
def set_checkins(
    request: Request,
    ref: str,
    goal_id: int,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    account: CurrentAccount,
    every: Text = "",
) -> Response:
    found = _person(uow, account, ref)
    _goal(uow, found, goal_id)
    field = f"goal-{goal_id}-every"
    values = {field: every}
    if not every.strip():
        errors = {field: f"Enter when to check in, {SPEC_HINT}"}
    else:
        _audit(uow, clock, account, f"goal {goal_id}", found)
        try:
            plans.set_checkins(uow, clock, goal_id, every)
        except Invalid as problem:
            errors = {field: _sentence(problem)}
        else:
            return done(request, person_url(found.ref, "#goals"), "Check-ins planned")
    return person_page.show(
        request, uow, clock, content, settings, account, found, errors=errors, values=values
    )


@router.post("/people/{ref}/nudges", response_model=None)
def add_nudge(
    request: Request,
    ref: str,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    account: CurrentAccount,
    text: Text = "",
    how: Text = "",
    date: Text = "",
    time: Text = "",
    every: Text = "",
) -> Response:
    found = _person(uow, account, ref)
    text = " ".join(text.split())
    values = {
        "nudge-text": text,
        "nudge-how": how,
        "nudge-date": date,
        "nudge-time": time,
        "nudge-every": every,
    }
    errors: dict[str, str] = {}
    if not text:
        errors["nudge-text"] = "Enter the words of the nudge"
    elif len(text) > nudges.MAX_TEXT:
        errors["nudge-text"] = f"A nudge has {nudges.MAX_TEXT} characters at most"
    at = None
    if how == "once":
        at = read_moment(clock, date, time, ("nudge-date", "nudge-time"), errors)
    elif how == "every":
        if not every.strip():
            errors["nudge-every"] = f"Enter when it repeats, {SPEC_HINT}"
    else:
        errors["nudge-how"] = "Choose once or on a schedule"
    if not errors:
        _audit(uow, clock, account, "new nudge", found)
        try:
            nudges.add(
                uow,
                clock,
                found.ref,
                text=text,
                at=at,
                every=every.strip() if how == "every" else None,
            )
        except Invalid as problem:
            errors["nudge-every" if how == "every" else "nudge-date"] = _sentence(problem)
        else:
            return done(request, person_url(found.ref, "#nudges"), "Nudge planned")
    return person_page.show(
        request, uow, clock, content, settings, account, found, errors=errors, values=values
    )


@router.post("/people/{ref}/nudges/{nudge_id}/stop", response_model=None)
def stop_nudge(
    request: Request,
    ref: str,
    nudge_id: int,
    uow: UowDep,
    clock: ClockDep,
    account: CurrentAccount,
) -> Response:
    found = _person(uow, account, ref)
    nudge = uow.session.get(Nudge, nudge_id)
    if nudge is None or nudge.person_id != found.id:
        raise NotFound(f"no nudge {nudge_id} for {found.ref}")
    _audit(uow, clock, account, f"nudge {nudge_id}", found)
    nudges.stop(uow, nudge_id)
    return done(request, person_url(found.ref, "#nudges"), "Nudge stopped")


@router.post("/people/{ref}/mood", response_model=None)
def mood_checks(
    request: Request,
    ref: str,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    account: CurrentAccount,
    every: Text = "",
    stop: Text = "",
) -> Response:
    found = _person(uow, account, ref)
    values = {"mood-every": every}
    if not stop and not every.strip():
        errors = {"mood-every": f"Enter when to ask, {SPEC_HINT}"}
    else:
        spec, actor = None if stop else every, Actor.dashboard(account.id)
        try:
            schedules.set_mood_checks(uow, clock, found.ref, spec, actor=actor)
        except Invalid as problem:
            errors = {"mood-every": _sentence(problem)}
        else:
            notice = "Mood check-ins stopped" if stop else "Mood check-ins planned"
            return done(request, person_url(found.ref, "#mood"), notice)
    return person_page.show(
        request, uow, clock, content, settings, account, found, errors=errors, values=values
    )
