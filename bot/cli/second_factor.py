"""`waymark coach reset-2fa EMAIL`: turn an account's second factor off, for someone who
lost their phone and their recovery codes. Their sessions end; at the next login they set
it up again (an admin or manager must). One unit of work, committed here, and audited."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.context import reports_errors, waymark, work


def register(coach_app: typer.Typer) -> None:
    """Add reset-2fa to `waymark coach`."""
    coach_app.command("reset-2fa")(coach_reset_2fa)


@reports_errors
def coach_reset_2fa(email: Annotated[str, typer.Argument(help="The account's email.")]) -> None:
    """Turn an account's second factor off (a lost phone); ends its sessions. Audited."""
    from bot.services import audit, people, second_factor

    app = waymark()
    with work(app) as uow:
        account = people.coach_by_email(uow.session, email)
        had = second_factor.is_on(account)
        second_factor.turn_off(uow.session, account)
        audit.record(uow.session, app.clock, None, "2fa-reset", f"account {account.id}", via="cli")
    state = "was on" if had else "was not on"
    typer.echo(
        f"second factor off for {account.email} (it {state}); their sessions have ended, "
        "and they set it up again at their next login"
    )
