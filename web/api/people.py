"""People: a coach's caseload (or the people assigned to IOM staff), one person, a new
person, and how a person gets their messages."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, StrictBool, field_validator

from bot.domain.boroughs import canonical_borough
from bot.domain.clock import Clock
from bot.models import Account, Consent, Format, Person, ReminderPlan
from bot.services import caseload, people
from bot.services.access import Can, allows, need, people_of, person_for
from bot.services.alerts import coach_of
from bot.services.caseload import CaseloadRow
from bot.storage import UnitOfWork
from web.api.deps import Caller, note, viewed
from web.api.problems import refusals, refuse
from web.api.types import CaseRef, Input, Leads, RefPath, Text60
from web.deps import ClockDep, ContentDep, UowDep

router = APIRouter(tags=["people"])


class PersonCreate(Input):
    ref: CaseRef
    preferred_name: Text60
    borough: Text60
    leads: Leads | None = None  # reminder lead times, like "1d,2h,60m"; the default plan if absent

    @field_validator("borough")
    @classmethod
    def _borough(cls, value: str) -> str:
        return canonical_borough(value)


class PersonUpdate(Input):
    """What is not given stays as it is."""

    format: Format | None = None
    easy_read: StrictBool | None = None
    language: str | None = None


class Preferences(BaseModel):
    format: Format
    easy_read: bool
    language: str
    reminder_plan: ReminderPlan
    leads: str | None
    quiet_from: str | None
    consent: Consent
    paused: bool


class PersonSummary(BaseModel):
    ref: str
    preferred_name: str
    borough: str
    next_appointment_at: datetime | None
    last_reply_at: datetime | None
    channel: str | None  # "telegram" or "webchat"; null until the person has joined
    unreachable_since: datetime | None

    @classmethod
    def of(cls, row: CaseloadRow) -> PersonSummary:
        return cls(
            ref=row.person.ref,
            preferred_name=row.person.preferred_name,
            borough=row.person.borough,
            next_appointment_at=row.next_appointment,
            last_reply_at=row.last_reply,
            channel=row.channel,
            unreachable_since=row.unreachable_since,
        )


class PersonPublic(PersonSummary):
    coach: str
    created_at: datetime
    # How the person gets their messages: coaching, so null for IOM staff.
    preferences: Preferences | None


def _public(uow: UnitOfWork, clock: Clock, account: Account, person: Person) -> PersonPublic:
    session = uow.session
    (row,) = caseload.rows(session, clock, [person])
    preferences = None
    if allows(account, Can.COACHING):
        preferences = Preferences(
            format=person.format,
            easy_read=person.easy_read,
            language=person.language,
            reminder_plan=person.reminder_plan,
            leads=person.leads,
            quiet_from=person.quiet_from,
            consent=person.consent,
            paused=person.paused,
        )
    return PersonPublic(
        **PersonSummary.of(row).model_dump(),
        coach=coach_of(session, person).name,
        created_at=person.created_at,
        preferences=preferences,
    )


@router.get(
    "/people",
    summary="List the account's own people",
    description="A coach's caseload, or the people assigned to an IOM staff member.",
    responses=refusals(403),
)
def list_people(uow: UowDep, clock: ClockDep, account: Caller) -> list[PersonSummary]:
    need(account, Can.CASELOAD)
    rows = caseload.rows(uow.session, clock, people_of(uow.session, account))
    viewed(uow, clock, account, "caseload")
    return [PersonSummary.of(row) for row in rows]


@router.post(
    "/people",
    status_code=201,
    summary="Add a person to the coach's caseload",
    description=(
        "The case reference is unique across Waymark: a reference in use answers 409. "
        "Invite the person next (POST /people/{ref}/invites)."
    ),
    responses=refusals(403, 409, 422),
)
def add_person(body: PersonCreate, uow: UowDep, clock: ClockDep, account: Caller) -> PersonPublic:
    need(account, Can.EDIT)
    person = people.add_person(
        uow,
        clock,
        ref=body.ref,
        name=body.preferred_name,
        borough=body.borough,
        coach_email=account.email,
        leads=body.leads,
    )
    # The person's id, never their reference: erasure then leaves nothing of them.
    note(uow, clock, account, "change", "new person", person.id)
    return _public(uow, clock, account, person)


@router.get(
    "/people/{ref:path}",
    summary="One person",
    description="Preferences are shown to their coach only (null for IOM staff).",
    responses=refusals(403, 404, 422),
)
def get_person(ref: RefPath, uow: UowDep, clock: ClockDep, account: Caller) -> PersonPublic:
    person = person_for(uow.session, account, ref, Can.SUMMARY)
    public = _public(uow, clock, account, person)
    viewed(uow, clock, account, "person", person.id)
    return public


@router.patch(
    "/people/{ref:path}",
    summary="Change how a person gets their messages",
    responses=refusals(403, 404, 422),
)
def update_person(
    ref: RefPath,
    body: PersonUpdate,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    account: Caller,
) -> PersonPublic:
    person = person_for(uow.session, account, ref, Can.EDIT)
    languages = content.languages
    if body.language is not None and body.language not in languages:
        have = ", ".join(languages)
        raise refuse("language", f"no content in {body.language[:8]!r}; the library has {have}")
    note(uow, clock, account, "change", "preferences", person.id)
    changed = people.set_preferences(
        uow,
        person.ref,
        format_=None if body.format is None else body.format.value,
        easy_read=body.easy_read,
        language=body.language,
        languages=languages,
    )
    return _public(uow, clock, account, changed)
