"""The `waymark` command line.

Every command is imported when it runs (bot/cli/deferred.py): `waymark --help` imports
Typer and this table, `waymark appointment list` the appointments module and the
database. Only `serve` and `demo` import the web app, and with a token the one Telegram
framework TELEGRAM_FRAMEWORK names (bot/composition.py); media libraries are loaded when
a card or a voice note is made.
"""

from __future__ import annotations

import os
from typing import ClassVar

import typer

from bot.cli.deferred import Deferred, DeferredGroup


class Commands(DeferredGroup):
    table: ClassVar[dict[str, Deferred]] = {
        "serve": Deferred(
            "bot.cli.ops:serve",
            "Run the bot (long polling, or the webhook), the scheduler and the web app "
            "(WEB_HOST:WEB_PORT: /healthz, /telegram/webhook and the web chat) in one "
            "process, or the roles --with names (bot, web, dispatch). Without "
            "TELEGRAM_BOT_TOKEN the web chat is the only channel.",
        ),
        "demo": Deferred(
            "bot.cli.demo:demo",
            "Run a demo: a manager, two coaches, IOM staff, an admin and twelve people with "
            "three months of history. Prints the dashboard's address, the demo logins and "
            "the web chat (a phone in the browser) of three people.",
        ),
        "invite": Deferred(
            "bot.cli.people:invite",
            "Print a single-use invite link (and its code) for a person's Telegram or web chat.",
        ),
        "reply": Deferred(
            "bot.cli.plans:reply", "Answer a person's message: it goes now, in their own format."
        ),
        "db": Deferred("bot.cli.ops:db_app", "The database."),
        "coach": Deferred(
            "bot.cli.people:coach_app", "Coaches: who sets people up and gets their alerts."
        ),
        "person": Deferred("bot.cli.people:person_app", "People supported by Waymark."),
        "appointment": Deferred("bot.cli.appointments:app", "Appointments and their reminders."),
        "content": Deferred(
            "bot.cli.content:app", "The content library: every message in every format."
        ),
        "goal": Deferred(
            "bot.cli.plans:goal_app", "Goals of a person's action plan, in small steps."
        ),
        "nudge": Deferred(
            "bot.cli.plans:nudge_app", "Nudges: a coach's messages at a time or on a schedule."
        ),
        "mood": Deferred("bot.cli.plans:mood_app", "Traffic-light mood check-ins on a schedule."),
        "alerts": Deferred("bot.cli.ops:alerts_app", "Alerts for coaches."),
        "outbox": Deferred("bot.cli.ops:outbox_app", "Messages waiting to go, and recently sent."),
        "retention": Deferred(
            "bot.cli.person_data:retention_app",
            "Retention: what is past its period, and taking it.",
        ),
    }


app = typer.Typer(
    cls=Commands,
    name="waymark",
    help="Waymark: appointment reminders and coaching on Telegram.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _waymark() -> None:
    """The group itself does nothing: each command in Commands.table does the work."""


def main() -> None:
    # python-telegram-bot 22: durations as timedeltas, the behaviour of its next version.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    app()
