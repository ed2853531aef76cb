"""Coaches and the people they support."""

from __future__ import annotations

from pydantic import ValidationError
from sqlmodel import Session, select

from bot.domain.clock import Clock
from bot.domain.errors import Duplicate, Invalid, NotFound
from bot.domain.leads import format_leads, parse_leads
from bot.models import Account, Format, Person, PersonCreate
from bot.storage import UnitOfWork


def validation_message(error: ValidationError) -> str:
    parts = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem["loc"])
        parts.append(f"{where}: {problem['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def coach_by_email(session: Session, email: str) -> Account:
    coach = session.exec(select(Account).where(Account.email == email.strip().lower())).first()
    if coach is None:
        raise NotFound(f"no coach with the email {email!r}")
    return coach


def person_by_ref(session: Session, ref: str) -> Person:
    person = session.exec(select(Person).where(Person.ref == ref.strip().upper())).first()
    if person is None:
        raise NotFound(f"no person with the reference {ref!r}")
    return person


def add_person(
    uow: UnitOfWork,
    clock: Clock,
    *,
    ref: str,
    name: str,
    borough: str,
    coach_email: str,
    leads: str | None = None,
) -> Person:
    try:
        data = PersonCreate(
            ref=ref, preferred_name=name, borough=borough, coach_email=coach_email, leads=leads
        )
        parsed = parse_leads(leads)
    except (ValidationError, ValueError) as error:
        message = validation_message(error) if isinstance(error, ValidationError) else str(error)
        raise Invalid(message) from None
    session = uow.session
    coach = coach_by_email(session, data.coach_email)
    if session.exec(select(Person).where(Person.ref == data.ref)).first() is not None:
        raise Duplicate(f"a person with the reference {data.ref!r} exists already")
    assert coach.id is not None
    person = Person.model_validate(
        data.model_dump(exclude={"coach_email"}),
        update={
            "coach_id": coach.id,
            "created_at": clock.now(),
            "leads": None if parsed is None else format_leads(parsed),
        },
    )
    session.add(person)
    uow.flush()
    return person


def set_preferences(
    uow: UnitOfWork,
    ref: str,
    *,
    format_: str | None = None,
    easy_read: bool | None = None,
    language: str | None = None,
    languages: tuple[str, ...] = ("en",),
) -> Person:
    """Change how a person gets their messages; what is not given stays as it is."""
    person = person_by_ref(uow.session, ref)
    if format_ is not None:
        if format_ not in {f.value for f in Format}:
            raise Invalid(f"--format must be words, pictures or voice, not {format_!r}")
        person.format = Format(format_)
    if easy_read is not None:
        person.easy_read = easy_read
    if language is not None:
        if language not in languages:
            have = ", ".join(languages)
            raise Invalid(f"no content in language {language!r}; the library has: {have}")
        person.language = language
    uow.session.add(person)
    uow.flush()
    return person
