"""`waymark demo`: Waymark with three months of believable history, to try in a browser.

The demo keeps its own SQLite database (var/demo.db) unless DATABASE_URL is set in the
environment (a DATABASE_URL in .env belongs to the real Waymark and is left alone). It
fills only an empty database, or finds the demo it made before; `--fresh` makes it again.
Then everything runs as `waymark serve` runs it, with the web chat as the only channel
unless TELEGRAM_BOT_TOKEN is set.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Annotated

import typer

from bot.cli import ops
from bot.cli.context import reports_errors
from bot.composition import Waymark, build
from bot.demo import Demo, Found, look, prepare
from bot.domain.errors import Invalid
from bot.domain.localtime import local
from bot.logs import configure_logging
from bot.settings import Environment, Settings, load_settings
from bot.storage.migrate import upgrade

DATABASE = Path("var") / "demo.db"
ANY_ADDRESS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "[::1]"}  # noqa: S104 - shown, not bound


@reports_errors
def demo(
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Throw the demo away and make it again, for today.")
    ] = False,
    host: Annotated[
        str | None, typer.Option(help="The address to listen on (default: WEB_HOST).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=0, max=65535, help="The port to listen on (default: WEB_PORT; 0: any)."),
    ] = None,
) -> None:
    """Run a demo: a manager, two coaches, IOM staff, an admin and twelve people with
    three months of history. Prints the dashboard's address, the demo logins and the web
    chat (a phone in the browser) of three people."""
    settings = load_settings()
    if settings.env is Environment.PRODUCTION:
        raise Invalid("the demo is for trying Waymark, not for WAYMARK_ENV=production")
    if "DATABASE_URL" not in os.environ:
        settings.database.url = f"sqlite:///{DATABASE}"
    settings.run_as_demo()  # the demo's accounts log in without a second factor, here only
    web = settings.web
    web.host = web.host if host is None else host
    web.port = web.port if port is None else port
    configure_logging(settings.log_level, settings.log_format)
    listener = ops.open_listener(web.host, web.port, "choose another with --port")
    try:
        if "WEB_PUBLIC_URL" not in os.environ:
            web.public_url = _address(web.host, listener)
        app = build(settings)
        upgrade(app.engine)
        if fresh or look(app.engine) is Found.EMPTY:
            typer.echo("Making the demo: three months of Waymark, replayed (a few seconds).")
        made = prepare(app.engine, app.clock, app.content, fresh=fresh)
    except BaseException as error:
        listener.close()
        if isinstance(error, KeyboardInterrupt):  # Ctrl-C while the demo is made: nothing kept
            raise typer.Exit(130) from None
        raise
    typer.echo(_welcome(made, settings, app))
    ops.run(app, listener)


def _address(host: str, listener: socket.socket) -> str:
    shown = ANY_ADDRESS.get(host, f"[{host}]" if ":" in host else host)
    return f"http://{shown}:{listener.getsockname()[1]}"


def _welcome(made: Demo, settings: Settings, app: Waymark) -> str:
    root = settings.web.public_url
    database = app.engine.url.render_as_string(hide_password=True)
    if made.made_now:
        when = "made now"
    elif made.made_on == local(app.clock.now()).date():
        when = "made earlier today"
    else:
        when = f"made on {made.made_on:%d %B %Y} (--fresh makes it again for today)"
    width = max(len(account.email) for account in made.logins)
    logins = [
        f"  {account.role:<8} {account.email:<{width}}  {account.password}"
        for account in made.logins
    ]
    labels = [f"{phone.name}'s phone ({phone.format}):" for phone in made.phones]
    wide = max((len(label) for label in labels), default=0)
    phones = [
        f"  open {label:<{wide}} {root}/chat/{phone.chat_id}"
        for label, phone in zip(labels, made.phones, strict=True)
    ]
    channel = (
        "Telegram is on too (TELEGRAM_BOT_TOKEN is set)."
        if app.telegram is not None
        else "Telegram is off (no TELEGRAM_BOT_TOKEN): the web chat is the only channel."
    )
    return "\n".join(
        [
            f"Waymark demo: {made.people} people and three months of history, {when}.",
            f"Database: {database}",
            "",
            f"Dashboard: {root}/login",
            "Demo logins (these passwords are for this demo only):",
            *logins,
            "",
            "Each person's phone, in the browser (the web chat):",
            *phones,
            "",
            channel,
            "Ctrl-C stops it.",
        ]
    )
