"""The `waymark` command line."""

from __future__ import annotations

import os

import typer

from bot.cli import appointments, content, demo, ops, people, person_data, plans

app = typer.Typer(
    name="waymark",
    help="Waymark: appointment reminders and coaching on Telegram.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("serve")(ops.serve)
app.command("demo")(demo.demo)
app.command("invite")(people.invite)
app.command("reply")(plans.reply)
app.add_typer(ops.db_app, name="db")
app.add_typer(people.coach_app, name="coach")
app.add_typer(people.person_app, name="person")
app.add_typer(appointments.app, name="appointment")
app.add_typer(content.app, name="content")
app.add_typer(plans.goal_app, name="goal")
app.add_typer(plans.nudge_app, name="nudge")
app.add_typer(plans.mood_app, name="mood")
app.add_typer(ops.alerts_app, name="alerts")
app.add_typer(ops.outbox_app, name="outbox")
person_data.register(people.person_app)  # person export, erase, close and reopen
app.add_typer(person_data.retention_app, name="retention")


def main() -> None:
    # python-telegram-bot 22: durations as timedeltas, the behaviour of its next version.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    app()
