"""Nudges: the coach's own words or a content item, once or on a schedule. Coaching, so
for the person's coach only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, StringConstraints, field_validator
from sqlmodel import Session

from bot.domain.recurrence import parse_every
from bot.models import Nudge, Person
from bot.services import nudges
from bot.services.access import Can, nudge_for, person_for
from web.api.deps import Caller, note, viewed
from web.api.problems import field_of, refusals, refuse
from web.api.types import Input, Instant, NudgeId, RefPath, Text400
from web.deps import ClockDep, ContentDep, UowDep

router = APIRouter(tags=["nudges"])

Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Every = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class NudgeCreate(Input):
    """Words (`text`) or a content item (`content_key`); once (`at`) or on a schedule
    (`every`, on the London clock: "weekdays 08:30", "mon,thu 18:00" or a cron line)."""

    text: Text400 | None = None
    content_key: Key | None = None
    at: Instant | None = None
    every: Every | None = None

    @field_validator("every")
    @classmethod
    def _every(cls, value: str | None) -> str | None:
        if value is not None:
            parse_every(value)  # its ScheduleError (a ValueError) says what is wrong
        return value


class NudgePublic(BaseModel):
    id: int
    text: str | None
    content_key: str | None
    at: datetime | None  # once, at this time
    every: str | None  # or on this schedule
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, nudge: Nudge, every: str | None) -> NudgePublic:
        assert nudge.id is not None
        return cls(
            id=nudge.id,
            text=nudge.text,
            content_key=nudge.content_key,
            at=nudge.at,
            every=every,
            active=nudge.active,
            created_at=nudge.created_at,
        )


def _public(session: Session, person: Person, nudge_id: int | None) -> NudgePublic:
    for nudge, every in nudges.list_for(session, person.ref):
        if nudge.id == nudge_id:
            return NudgePublic.of(nudge, every)
    raise AssertionError(f"nudge {nudge_id} is not among its person's nudges")


@router.get(
    "/people/{ref:path}/nudges",
    summary="A person's nudges",
    responses=refusals(403, 404, 422),
)
def list_nudges(ref: RefPath, uow: UowDep, clock: ClockDep, account: Caller) -> list[NudgePublic]:
    person = person_for(uow.session, account, ref, Can.COACHING)
    found = nudges.list_for(uow.session, person.ref)
    viewed(uow, clock, account, "nudges", person.id)
    return [NudgePublic.of(nudge, every) for nudge, every in found]


@router.post(
    "/people/{ref:path}/nudges",
    status_code=201,
    summary="Add a nudge, once or on a schedule",
    description="Nudges wait out the person's quiet hours and never interrupt a conversation.",
    responses=refusals(403, 404, 422),
)
def add_nudge(
    ref: RefPath,
    body: NudgeCreate,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    account: Caller,
) -> NudgePublic:
    person = person_for(uow.session, account, ref, Can.EDIT)
    if (body.text is None) == (body.content_key is None):
        raise refuse("text", "give the nudge's words (text) or a content item (content_key)")
    if (body.at is None) == (body.every is None):
        raise refuse("at", "give a time (at) or a schedule (every), not both")
    known = frozenset(content.messages)
    if body.content_key is not None and body.content_key not in known:
        raise refuse("content_key", f"{body.content_key!r} is not in the content library")
    if body.at is not None and body.at <= clock.now():
        raise refuse("at", "that time is in the past")
    note(uow, clock, account, "change", "new nudge", person.id)
    with field_of("every"):  # all else is checked: what is left is a schedule that never fires
        nudge = nudges.add(
            uow,
            clock,
            person.ref,
            text=body.text,
            content_key=body.content_key,
            at=body.at,
            every=body.every,
            known_keys=known,
        )
    return _public(uow.session, person, nudge.id)


@router.post(
    "/nudges/{nudge_id}/stop",
    summary="Stop a nudge (nothing more of it is sent)",
    responses=refusals(403, 404, 422),
)
def stop_nudge(nudge_id: NudgeId, uow: UowDep, clock: ClockDep, account: Caller) -> NudgePublic:
    _, person = nudge_for(uow.session, account, nudge_id, Can.EDIT)
    note(uow, clock, account, "change", f"nudge {nudge_id}: stop", person.id)
    nudges.stop(uow, nudge_id)
    return _public(uow.session, person, nudge_id)
