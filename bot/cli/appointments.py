"""`waymark appointment ...`."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.context import reports_errors, waymark, when, work
from bot.domain.actor import Actor
from bot.domain.localtime import local
from bot.services import appointments
from bot.services.appointments import NewAppointment

app = typer.Typer(help="Appointments and their reminders.", no_args_is_help=True)
CLI = Actor.cli()  # every change made here is audited as the command line's
AT_HELP = 'London time, "YYYY-MM-DD HH:MM".'


@app.command("add")
@reports_errors
def add(
    ref: Annotated[str, typer.Argument(help="The person's case reference.")],
    at: Annotated[str, typer.Option(help=AT_HELP)],
    place: Annotated[str, typer.Option(help="Where, with the street address.")],
    with_: Annotated[str, typer.Option("--with", help="Who they will see.")],
    kind: Annotated[
        str, typer.Option(help="probation, police, gp, jobcentre, court, coaching or other.")
    ] = "probation",
    remind: Annotated[
        str | None, typer.Option(help="Lead times like 1d,2h,60m,90s, or 'default'.")
    ] = None,
    travel_note: Annotated[
        str | None, typer.Option(help="How to get there, in words the person reads.")
    ] = None,
    latitude: Annotated[
        float | None, typer.Option(help="Where the place is, like 51.4741.")
    ] = None,
    longitude: Annotated[float | None, typer.Option(help="With the latitude: a map pin.")] = None,
) -> None:
    """Add an appointment and plan its reminders. Prints the new appointment's id."""
    waymark_app = waymark()
    new = NewAppointment(when(at), place, with_, kind, remind, travel_note, latitude, longitude)
    with work(waymark_app) as uow:
        appointment = appointments.add(uow, waymark_app.clock, ref, new, actor=CLI)
    typer.echo(appointment.id)


@app.command("move")
@reports_errors
def move(
    appointment_id: Annotated[int, typer.Argument(help="The appointment's id.")],
    at: Annotated[str, typer.Option(help=AT_HELP)],
) -> None:
    """Move an appointment; its reminders are planned again."""
    waymark_app = waymark()
    with work(waymark_app) as uow:
        appointment = appointments.move(uow, waymark_app.clock, appointment_id, when(at), actor=CLI)
    typer.echo(
        f"appointment {appointment.id} moved to {local(appointment.starts_at):%Y-%m-%d %H:%M}"
    )


@app.command("cancel")
@reports_errors
def cancel(appointment_id: Annotated[int, typer.Argument(help="The appointment's id.")]) -> None:
    """Cancel an appointment and its reminders."""
    waymark_app = waymark()
    with work(waymark_app) as uow:
        appointment = appointments.cancel(uow, waymark_app.clock, appointment_id, actor=CLI)
    typer.echo(f"appointment {appointment.id} cancelled")


@app.command("outcome")
@reports_errors
def outcome(
    appointment_id: Annotated[int, typer.Argument(help="The appointment's id.")],
    value: Annotated[str, typer.Argument(help="attended, missed or rescheduled.")],
) -> None:
    """Record what happened. After a miss the person gets a kind 'what to do now'."""
    waymark_app = waymark()
    with work(waymark_app) as uow:
        appointment = appointments.record_outcome(
            uow, waymark_app.clock, appointment_id, value, actor=CLI
        )
    typer.echo(f"appointment {appointment.id}: {appointment.outcome}")


@app.command("list")
@reports_errors
def list_(ref: Annotated[str, typer.Argument(help="The person's case reference.")]) -> None:
    """List a person's appointments (London time)."""
    waymark_app = waymark()
    with work(waymark_app) as uow:
        rows = appointments.list_for(uow.session, ref)
    if not rows:
        typer.echo("no appointments")
    for a in rows:
        answer = a.confirmation or "-"
        typer.echo(
            f"{a.id:>5}  {local(a.starts_at):%a %Y-%m-%d %H:%M}  {a.kind:<10} "
            f"{a.status:<9} reply: {answer:<9} outcome: {a.outcome or '-':<11} "
            f"{a.place} (with {a.with_whom})"
        )
