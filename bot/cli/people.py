"""`waymark coach ...`, `waymark person ...` and `waymark invite`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

import typer

from bot.cli.context import reports_errors, waymark
from bot.clock import Clock
from bot.errors import Invalid
from bot.localtime import clock_time, spoken_date
from bot.services import invites, people
from bot.storage import UnitOfWork

coach_app = typer.Typer(
    help="Coaches: who sets people up and gets their alerts.", no_args_is_help=True
)
person_app = typer.Typer(help="People supported by Waymark.", no_args_is_help=True)


def _issue_invite(create: Callable[[UnitOfWork, Clock, str, int], str], owner: str) -> None:
    """Make an invite for `owner` and print the link, the code and when it expires."""
    app = waymark()
    days = app.settings.invite_days
    with app.uow() as uow:
        code = create(uow, app.clock, owner, days)
    expires = app.clock.now() + timedelta(days=days)
    typer.echo(invites.deep_link(app.settings.telegram.bot_username, code))
    typer.echo(f"code: {code}")
    typer.echo(
        f"expires: {spoken_date(expires)} {clock_time(expires)} "
        f"(in {days} days; a new invite voids this one)"
    )


@coach_app.command("add")
@reports_errors
def coach_add(
    email: Annotated[str, typer.Option(help="The coach's work email.")],
    name: Annotated[str, typer.Option(help="The coach's name, as people will see it.")],
) -> None:
    """Add a coach."""
    app = waymark()
    with app.uow() as uow:
        coach = people.add_coach(uow, app.clock, email, name)
    typer.echo(f"coach {coach.id} added: {coach.email}")


@coach_app.command("link")
@reports_errors
def coach_link(email: Annotated[str, typer.Argument(help="The coach's email.")]) -> None:
    """Print an invite that links the coach's own Telegram, to receive alerts."""
    _issue_invite(invites.invite_coach, email)


@person_app.command("add")
@reports_errors
def person_add(
    ref: Annotated[str, typer.Option(help="Pseudonymous case reference, e.g. IOM-0042.")],
    name: Annotated[str, typer.Option(help="Preferred first name.")],
    borough: Annotated[str, typer.Option(help="London borough, or City of London.")],
    coach: Annotated[str, typer.Option(help="The coach's email.")],
    remind: Annotated[
        str | None, typer.Option(help="Lead times like 1d,2h,60m,90s, or 'default'.")
    ] = None,
) -> None:
    """Add a person to a coach's caseload."""
    app = waymark()
    with app.uow() as uow:
        person = people.add_person(
            uow, app.clock, ref=ref, name=name, borough=borough, coach_email=coach, leads=remind
        )
    typer.echo(f"person {person.ref} added (id {person.id}, {person.borough})")


@reports_errors
def invite(ref: Annotated[str, typer.Argument(help="The person's case reference.")]) -> None:
    """Print a single-use invite link (and its code) for a person's Telegram."""
    _issue_invite(invites.invite_person, ref)


def _yes_no(value: str | None) -> bool | None:
    if value is None:
        return None
    if value.lower() in ("yes", "y", "true"):
        return True
    if value.lower() in ("no", "n", "false"):
        return False
    raise Invalid(f"--easy-read must be yes or no, not {value!r}")


@person_app.command("set")
@reports_errors
def person_set(
    ref: Annotated[str, typer.Argument(help="The person's case reference.")],
    format_: Annotated[
        str | None, typer.Option("--format", help="words, pictures or voice.")
    ] = None,
    easy_read: Annotated[
        str | None, typer.Option("--easy-read", help="yes: the easy-read words; no: plain.")
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="A content language, e.g. en (English is the fallback).")
    ] = None,
) -> None:
    """Set how a person gets their messages."""
    if format_ is None and easy_read is None and language is None:
        raise Invalid("give at least one of --format, --easy-read and --language")
    app = waymark()
    with app.uow() as uow:
        person = people.set_preferences(
            uow,
            ref,
            format_=format_,
            easy_read=_yes_no(easy_read),
            language=language,
            languages=app.content.languages,
        )
    easy = "yes" if person.easy_read else "no"
    typer.echo(
        f"person {person.ref}: {person.format}, easy-read {easy}, language {person.language}"
    )
