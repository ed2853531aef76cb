"""A person's data from first contact to deletion, at the command line:
`waymark person export|erase|close|reopen` and `waymark retention report|run`.

Each command is one unit of work, committed here once; the audit trail says it came from
the command line. The services are imported inside each command, so `waymark --help`
stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.context import reports_errors, waymark, work
from bot.domain.errors import Invalid

VIA = "cli"
Ref = Annotated[str, typer.Argument(help="The person's case reference.")]

retention_app = typer.Typer(
    help="Retention: what is past its period, and taking it.", no_args_is_help=True
)


def register(person_app: typer.Typer) -> None:
    """Add export, erase, close and reopen to `waymark person`."""
    person_app.command("export")(person_export)
    person_app.command("erase")(person_erase)
    person_app.command("close")(person_close)
    person_app.command("reopen")(person_reopen)


@reports_errors
def person_export(
    ref: Ref,
    out: Annotated[Path, typer.Option(help="The folder the two files are written to.")],
) -> None:
    """Write everything held about a person (subject access), as a page and as JSON.

    The page is easy-read HTML, to read, have read out or print; the JSON holds the same
    records. The export is written to the audit trail.
    """
    from time import perf_counter

    from bot.services import people, subject_access
    from bot.services.subject_access_files import write

    app = waymark()
    started = perf_counter()
    with work(app) as uow:
        person = people.person_by_ref(uow.session, ref)
        document = subject_access.export(
            uow.session, app.clock, app.content, person, account_id=None, via=VIA
        )
        files = write(document, out)
    rows = sum(len(document[name]) for name in subject_access.SECTIONS)
    typer.echo(f"page: {files.page}")
    typer.echo(f"data: {files.data}")
    typer.echo(f"{rows} records, made in {perf_counter() - started:.1f} s")


@reports_errors
def person_erase(
    ref: Ref,
    reason: Annotated[
        str,
        typer.Option(help="Why, in 70 characters or fewer, without naming the person."),
    ],
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask to type the reference again.")
    ] = False,
) -> None:
    """Erase everything held about a person, in every table and the media cache.

    The audit trail keeps that it happened, when, by whom and why, never what.
    """
    from bot.media.cached import cached_media
    from bot.services import erasure, people
    from bot.services.person_records import records_of

    app = waymark()
    with work(app) as uow:
        person = people.person_by_ref(uow.session, ref)
        erasure.check_reason(reason, records_of(uow.session, person))
        if not yes:
            typed = typer.prompt(f"This cannot be undone. Type {person.ref} to erase it")
            if typed.strip().upper() != person.ref:
                raise Invalid("the reference typed does not match: nothing was erased")
        erased = erasure.erase(
            uow.session,
            app.clock,
            person,
            reason=reason,
            account_id=None,
            via=VIA,
            content=app.content,
            media=cached_media(app.settings.media, app.settings.speech),
        )
    files = erasure.remove_files(erased.files)
    typer.echo(
        f"erased: {erased.total} rows from {len(erased.rows)} tables and {files} cached "
        "files; the audit trail keeps that it happened, and why"
    )


@reports_errors
def person_close(ref: Ref) -> None:
    """Close a case when supervision ends.

    Waiting messages stop, a goodbye goes, the chat link ends and the record becomes
    read-only until it is reopened or its retention period ends.
    """
    from bot.domain.localtime import spoken_date
    from bot.services import closure, people

    app = waymark()
    with work(app) as uow:
        person = people.person_by_ref(uow.session, ref)
        closed = closure.close(uow.session, app.clock, person, account_id=None, via=VIA)
    ends = closure.retention_ends(person, app.settings.retention.closed_case_days)
    assert ends is not None
    goodbye = (
        "a goodbye goes to their chat with the next send"
        if closed.goodbye
        else "no goodbye: their chat was not linked"
    )
    typer.echo(f"{person.ref} closed: {closed.stopped} waiting messages stopped, {goodbye}")
    typer.echo(f"it can be reopened until {spoken_date(ends)} {ends.year}")


@reports_errors
def person_reopen(ref: Ref) -> None:
    """Reopen a closed case (within its retention period)."""
    from bot.services import closure, people

    app = waymark()
    with work(app) as uow:
        person = people.person_by_ref(uow.session, ref)
        closure.reopen(
            uow.session,
            app.clock,
            person,
            retention_days=app.settings.retention.closed_case_days,
            account_id=None,
            via=VIA,
        )
    typer.echo(f"{person.ref} reopened: invite them again to link their chat")


@retention_app.command("report")
@reports_errors
def retention_report() -> None:
    """Show what the retention job would take now, kind by kind; changes nothing."""
    from bot.services import retention

    app = waymark()
    with work(app) as uow:
        due = retention.report(uow.session, app.clock, app.settings.retention)
        last = retention.last_run(uow.session)
    width = max(len(one.rule.name) for one in due)
    for one in due:
        days = "1 day" if one.days == 1 else f"{one.days} days"
        typer.echo(f"{one.rule.name:<{width}}  {one.count:>7}  older than {days}: {one.rule.what}")
    typer.echo(f"{sum(one.count for one in due)} rows would go. Nothing was changed.")
    if last is not None and last.finished_at is not None:
        typer.echo(
            f"last run: {last.finished_at:%Y-%m-%d %H:%M} UTC, {sum(last.counts.values())} taken"
        )


@retention_app.command("run")
@reports_errors
def retention_run() -> None:
    """Take everything past its period now, as the daily job does."""
    from bot.media.cached import cached_media
    from scheduler import retention as job

    app = waymark()
    settings = app.settings
    media = cached_media(settings.media, settings.speech)
    counts = job.run(app.uow, app.clock, settings.retention, media, via=VIA)
    for name, count in sorted(counts.items()):
        typer.echo(f"{name}: {count}")
    typer.echo(f"{sum(counts.values())} taken")
