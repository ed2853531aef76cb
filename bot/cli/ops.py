"""Running Waymark and looking inside: serve, db, alerts, outbox."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Annotated

import typer

from bot.cli.context import reports_errors, waymark, work
from bot.composition import Core, Waymark, complete
from bot.domain.errors import Invalid
from bot.domain.localtime import local
from bot.domain.roles import ALL_ROLES, ROLES, parse_roles
from bot.logs import configure_logging
from bot.services import alerts, outbox

db_app = typer.Typer(help="The database.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts for coaches.", no_args_is_help=True)
outbox_app = typer.Typer(help="Messages waiting to go, and recently sent.", no_args_is_help=True)


ROLES_HELP = (
    "The roles this worker runs, comma-separated: bot (Telegram's updates), web (the "
    "dashboard, the API, the web chat), dispatch (sending what falls due, planning). "
    "/healthz is always served."
)


@reports_errors
def serve(
    with_: Annotated[str, typer.Option("--with", help=ROLES_HELP)] = ",".join(ROLES),
) -> None:
    """Run the bot (long polling, or the webhook), the scheduler and the web app
    (WEB_HOST:WEB_PORT: /healthz, /telegram/webhook and the web chat) in one process, or
    the roles --with names. Without TELEGRAM_BOT_TOKEN the web chat is the only channel."""
    roles = parse_roles(with_)  # a wrong role is said before anything is opened
    app = waymark()
    configure_logging(app.settings.log_level, app.settings.log_format)
    web = app.settings.web
    run(app, open_listener(web.host, web.port), roles)


def open_listener(host: str, port: int, hint: str = "set WEB_HOST and WEB_PORT") -> socket.socket:
    """The web app's socket, opened before anything starts: a port in use is a clear error."""
    from web.server import listen  # the web stack: for serve and demo only

    try:
        return listen(host, port)
    except OSError as error:
        reason = error.strerror or error
        raise Invalid(f"cannot listen on {host}:{port} ({reason}): {hint}") from None


def run(core: Core, listener: socket.socket, roles: frozenset[str] = ALL_ROLES) -> None:
    """Run a Waymark until SIGINT or SIGTERM: `serve` hands over the command line's core,
    to be completed with what its roles run; `demo` a whole Waymark."""
    from web.server import serve as serve_forever  # the web stack: for serve and demo only

    app = core if isinstance(core, Waymark) else complete(core, roles)
    log = logging.getLogger(__name__)
    log.info("roles", extra={"roles": ",".join(sorted(app.roles))})
    if app.telegram is None:
        log.info("TELEGRAM_BOT_TOKEN is not set: Telegram is off, the web chat is the only channel")
    else:
        log.info(
            "starting",
            extra={"api": app.settings.telegram.api_url, "framework": app.telegram.framework},
        )
    asyncio.run(serve_forever(app, listener))


@db_app.command("upgrade")
@reports_errors
def db_upgrade() -> None:
    """Apply every migration to DATABASE_URL."""
    app = waymark()
    typer.echo(f"database is up to date ({app.engine.url.render_as_string(hide_password=True)})")


@alerts_app.command("list")
@reports_errors
def alerts_list() -> None:
    """Open alerts, newest first: when (London time), reference, kind, detail."""
    app = waymark()
    with work(app) as uow:
        rows = alerts.open_alerts(uow.session)
    if not rows:
        typer.echo("no open alerts")
    for alert, ref in rows:
        flag = "URGENT " if alert.urgent else ""
        typer.echo(
            f"{local(alert.created_at):%Y-%m-%d %H:%M}  {ref:<12} {flag}{alert.kind:<12} "
            f"{alert.detail}"
        )


@outbox_app.command("list")
@reports_errors
def outbox_list() -> None:
    """Pending rows and those of the last 24 hours, with due time (London) and status."""
    app = waymark()
    with work(app) as uow:
        rows = outbox.recent(uow.session, app.clock.now())
    if not rows:
        typer.echo("the outbox is empty")
    for row in rows:
        note = f"  ({row.last_error})" if row.last_error else ""
        silent = " silent" if row.silent else ""
        typer.echo(
            f"{row.id:>6}  {local(row.due_at):%Y-%m-%d %H:%M}  {row.status:<9} "
            f"{row.kind:<15} {row.key}{silent}{note}"
        )
