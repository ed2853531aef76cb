"""`waymark coach ...`, `waymark person ...` and `waymark invite`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Annotated

import typer

from bot.cli import consent, person_data, second_factor
from bot.cli.context import reports_errors, waymark, work
from bot.domain.actor import Actor
from bot.domain.clock import Clock
from bot.domain.errors import Invalid
from bot.domain.localtime import clock_time, spoken_date
from bot.models import Role
from bot.services import accounts, audit, invites, pairing, people
from bot.storage import UnitOfWork

coach_app = typer.Typer(
    help="Coaches: who sets people up and gets their alerts.", no_args_is_help=True
)
person_app = typer.Typer(help="People supported by Waymark.", no_args_is_help=True)


def _issue_invite(create: Callable[[UnitOfWork, Clock, str, int], str], owner: str) -> None:
    """Make an invite for `owner` and print the link, the code and when it expires."""
    app = waymark()
    days = app.settings.invite_days
    with work(app) as uow:
        code = create(uow, app.clock, owner, days)
    expires = app.clock.now() + timedelta(days=days)
    webchat = invites.webchat_link(app.settings.web.public_url, code)
    # Without Telegram the web chat is the way in; with it, Telegram's link comes first.
    telegram = invites.telegram_link(app.settings.telegram, code)
    typer.echo(telegram or webchat)
    typer.echo(f"code: {code}")
    typer.echo(
        f"expires: {spoken_date(expires)} {clock_time(expires)} "
        f"(in {days} days; a new invite voids this one)"
    )
    if telegram:
        typer.echo(f"web chat: {webchat}")


def _password_from_stdin() -> str:
    """The first line of standard input: never an argument, which would sit in the shell's
    history and in the process list."""
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise Invalid("--password-stdin needs the password on the first line of standard input")
    return line


@coach_app.command("add")
@reports_errors
def coach_add(
    email: Annotated[str, typer.Option(help="The account's work email (the login).")],
    name: Annotated[str, typer.Option(help="The name, as people and colleagues see it.")],
    role: Annotated[
        str, typer.Option(help="coach, staff (IOM staff), manager or admin.")
    ] = Role.COACH.value,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read a dashboard password (12 characters or more, not a common one) from stdin.",
        ),
    ] = False,
) -> None:
    """Add a coach, or another dashboard account (IOM staff, manager, admin)."""
    chosen = accounts.parse_role(role)
    password = _password_from_stdin() if password_stdin else None
    app = waymark()
    with work(app) as uow:
        account = accounts.add_account(
            uow, app.clock, email=email, name=name, role=chosen, password=password
        )
        audit.record(
            uow.session, app.clock, None, "account-add", f"account {account.id}", via="cli"
        )
    login = "can log in" if password else "no password yet: cannot log in to the dashboard"
    typer.echo(f"{chosen.value} {account.id} added: {account.email} ({login})")


@coach_app.command("password")
@reports_errors
def coach_password(
    email: Annotated[str, typer.Argument(help="The account's email.")],
) -> None:
    """Set an account's dashboard password, read from standard input; ends its sessions."""
    password = _password_from_stdin()
    app = waymark()
    with work(app) as uow:
        account = people.coach_by_email(uow.session, email)
        assert account.id is not None
        audit.record(uow.session, app.clock, None, "password", f"account {account.id}", via="cli")
        accounts.set_password(uow, account.id, password)
    typer.echo(f"password set for {account.email}")


@coach_app.command("assign")
@reports_errors
def coach_assign(
    email: Annotated[str, typer.Argument(help="The IOM staff member's email.")],
    ref: Annotated[str, typer.Argument(help="The case reference of a person they manage.")],
) -> None:
    """Let an IOM staff member see a person's attendance and engagement."""
    app = waymark()
    with work(app) as uow:
        staff = people.coach_by_email(uow.session, email)
        person = people.person_by_ref(uow.session, ref)
        assert staff.id is not None
        assert person.id is not None
        audit.record(
            uow.session,
            app.clock,
            None,
            "assign",
            f"staff {staff.id}",
            person_id=person.id,
            via="cli",
        )
        accounts.assign(uow, app.clock, staff.id, person.id)
    typer.echo(f"{staff.email} now sees {person.ref}")


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
    with work(app) as uow:
        person = people.add_person(
            uow,
            app.clock,
            ref=ref,
            name=name,
            borough=borough,
            coach_email=coach,
            leads=remind,
        )
    typer.echo(f"person {person.ref} added (id {person.id}, {person.borough})")


@reports_errors
def invite(ref: Annotated[str, typer.Argument(help="The person's case reference.")]) -> None:
    """Print a single-use invite link (and its code) for a person's Telegram or web chat."""
    _issue_invite(partial(invites.invite_person, actor=Actor.cli()), ref)


@person_app.command("pair")
@reports_errors
def person_pair(ref: Annotated[str, typer.Argument(help="The person's case reference.")]) -> None:
    """Print a pairing code to read out: six digits, once, for 15 minutes."""
    app = waymark()
    with work(app) as uow:
        person = people.person_by_ref(uow.session, ref)
        made = pairing.make(uow.session, app.clock, person, actor=Actor.cli())
    where = "in Telegram or " if app.settings.telegram.has_token else ""
    typer.echo(f"pairing code: {made.spoken}")
    typer.echo(
        f"works once, until {clock_time(made.expires_at)} ({spoken_date(made.expires_at)}): "
        f"they type the six numbers {where}in the web chat ({app.settings.web.public_url}"
        "/chat/join); a new pairing code voids this one"
    )


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
    with work(app) as uow:
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


person_data.register(person_app)  # person export, erase, close and reopen
consent.register(person_app)  # person consent and consents
second_factor.register(coach_app)  # coach reset-2fa
