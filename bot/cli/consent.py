"""Consent at the command line: `waymark person consent REF --for PURPOSE --said DECISION`
records what a person said (on paper, by phone, to the admin), and
`waymark person consents REF` lists their consent history, newest first.

Each command is one unit of work, committed here once; the history says it came from the
command line.
"""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.context import reports_errors, waymark, work

Ref = Annotated[str, typer.Argument(help="The person's case reference.")]


def register(person_app: typer.Typer) -> None:
    """Add consent and consents to `waymark person`."""
    person_app.command("consent")(person_consent)
    person_app.command("consents")(person_consents)


@reports_errors
def person_consent(
    ref: Ref,
    purpose: Annotated[
        str, typer.Option("--for", help="What it is for: service, passport or evaluation.")
    ],
    decision: Annotated[
        str, typer.Option("--said", help="What they said: given, declined or withdrawn.")
    ],
) -> None:
    """Record a consent a person gave, declined or withdrew."""
    from bot.models import Via
    from bot.services import consent_history, people

    app = waymark()
    chosen = consent_history.parse(purpose, decision)
    with work(app) as uow:
        person = people.person_by_ref(uow.session, ref)
        consent_history.record(uow.session, app.clock, person, *chosen, via=Via.CLI)
    typer.echo(f"{person.ref}: {chosen[0].value} {chosen[1].value}, recorded")


@reports_errors
def person_consents(ref: Ref) -> None:
    """List a person's consent history, newest first (times in London)."""
    from bot.domain.localtime import local
    from bot.services import consent_history, people

    app = waymark()
    with work(app) as uow:
        person = people.person_by_ref(uow.session, ref)
        assert person.id is not None
        lines = consent_history.history(uow.session, person.id)
    if not lines:
        typer.echo(f"{person.ref}: no consent recorded yet")
    for line in lines:
        typer.echo(f"{local(line.at):%Y-%m-%d %H:%M}  {line.purpose}: {line.decision} ({line.how})")
