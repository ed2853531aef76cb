"""`waymark goal ...` and `waymark nudge ...`: the coaching between appointments."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from bot.cli.context import reports_errors, waymark, when, work
from bot.domain.actor import Actor
from bot.domain.errors import Invalid
from bot.domain.localtime import local
from bot.services import nudges, plans, schedules

goal_app = typer.Typer(
    help="Goals of a person's action plan, in small steps.", no_args_is_help=True
)
mood_app = typer.Typer(help="Traffic-light mood check-ins on a schedule.", no_args_is_help=True)
nudge_app = typer.Typer(
    help="Nudges: a coach's messages at a time or on a schedule.", no_args_is_help=True
)
EVERY_HELP = "A schedule like 'weekdays 08:30', 'mon,thu 18:00' or a cron expression."


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(f"{text!r} is not a date like 2026-12-01") from None


@goal_app.command("add")
@reports_errors
def goal_add(
    ref: Annotated[str, typer.Argument(help="The person's case reference.")],
    title: Annotated[str, typer.Option(help="The goal, in the person's words.")],
    model: Annotated[str, typer.Option(help="grow or oscar.")] = "grow",
) -> None:
    """Add a goal. Prints its id."""
    app = waymark()
    with work(app) as uow:
        goal = plans.add_goal(uow, app.clock, ref, title, model)
    typer.echo(goal.id)


@goal_app.command("step")
@reports_errors
def goal_step(
    goal_id: Annotated[int, typer.Argument(help="The goal's id.")],
    text: Annotated[str, typer.Option(help="One small step, said simply.")],
    due: Annotated[str | None, typer.Option(help="By when, YYYY-MM-DD.")] = None,
) -> None:
    """Add a small step to a goal. Prints its id."""
    app = waymark()
    with work(app) as uow:
        step = plans.add_step(uow, app.clock, goal_id, text, _date(due))
    typer.echo(step.id)


@goal_app.command("checkins")
@reports_errors
def goal_checkins(
    goal_id: Annotated[int, typer.Argument(help="The goal's id.")],
    every: Annotated[str, typer.Option(help=EVERY_HELP)],
) -> None:
    """Check in on the goal's current step on a schedule (London time)."""
    app = waymark()
    with work(app) as uow:
        schedule = plans.set_checkins(uow, app.clock, goal_id, every)
    typer.echo(f"goal {goal_id}: check-ins {schedule.spec}")


@goal_app.command("list")
@reports_errors
def goal_list(ref: Annotated[str, typer.Argument(help="The person's case reference.")]) -> None:
    """A person's goals and their steps, with progress."""
    app = waymark()
    with work(app) as uow:
        rows = plans.list_for(uow.session, ref)
    if not rows:
        typer.echo("no goals")
    for goal, steps in rows:
        done = sum(1 for s in steps if s.status == "done")
        typer.echo(
            f"{goal.id:>5}  {goal.title}  ({goal.model}, {goal.status}, "
            f"{done} of {len(steps)} steps done)"
        )
        for step in steps:
            mark = "x" if step.status == "done" else " "
            due = f"  by {step.due_on:%a %d %b}" if step.due_on else ""
            typer.echo(f"       [{mark}] {step.id:>4}  {step.text}{due}")


@nudge_app.command("add")
@reports_errors
def nudge_add(
    ref: Annotated[str, typer.Argument(help="The person's case reference.")],
    text: Annotated[str | None, typer.Option(help="Your own words.")] = None,
    key: Annotated[str | None, typer.Option(help="Or an item of the content library.")] = None,
    at: Annotated[str | None, typer.Option(help='Once, London time "YYYY-MM-DD HH:MM".')] = None,
    every: Annotated[str | None, typer.Option(help=EVERY_HELP)] = None,
) -> None:
    """Schedule a nudge (quiet hours are respected). Prints its id."""
    app = waymark()
    with work(app) as uow:
        nudge = nudges.add(
            uow,
            app.clock,
            ref,
            text=text,
            content_key=key,
            at=when(at) if at else None,
            every=every,
            known_keys=frozenset(app.content.messages),
        )
    typer.echo(nudge.id)


@nudge_app.command("list")
@reports_errors
def nudge_list(ref: Annotated[str, typer.Argument(help="The person's case reference.")]) -> None:
    """A person's nudges."""
    app = waymark()
    with work(app) as uow:
        rows = nudges.list_for(uow.session, ref)
    if not rows:
        typer.echo("no nudges")
    for nudge, spec in rows:
        timing = spec or (f"{local(nudge.at):%Y-%m-%d %H:%M}" if nudge.at else "-")
        state = "active" if nudge.active else "stopped"
        typer.echo(f"{nudge.id:>5}  {state:<8} {timing:<18} {nudge.text or nudge.content_key}")


@nudge_app.command("stop")
@reports_errors
def nudge_stop(nudge_id: Annotated[int, typer.Argument(help="The nudge's id.")]) -> None:
    """Stop a nudge: nothing more of it is sent."""
    app = waymark()
    with work(app) as uow:
        nudges.stop(uow, nudge_id)
    typer.echo(f"nudge {nudge_id} stopped")


@reports_errors
def reply(
    ref: Annotated[str, typer.Argument(help="The person's case reference.")],
    text: Annotated[str, typer.Option(help="Your answer, in plain words.")],
) -> None:
    """Answer a person's message: it goes now, in their own format."""
    app = waymark()
    with work(app) as uow:
        row = nudges.reply(uow, app.clock, ref, text)
    typer.echo(f"reply {row.id} queued for {ref.strip().upper()}")


@mood_app.command("schedule")
@reports_errors
def mood_schedule(
    ref: Annotated[str, typer.Argument(help="The person's case reference.")],
    every: Annotated[str, typer.Option(help=EVERY_HELP)],
) -> None:
    """Ask how the person is (green, amber or red) on a schedule, London time."""
    app = waymark()
    with work(app) as uow:
        schedule = schedules.set_mood_checks(uow, app.clock, ref, every, actor=Actor.cli())
    assert schedule is not None
    typer.echo(f"mood check-ins for {ref.strip().upper()}: {schedule.spec}")


@mood_app.command("stop")
@reports_errors
def mood_stop(ref: Annotated[str, typer.Argument(help="The person's case reference.")]) -> None:
    """Stop the scheduled mood check-ins (/mood still works any time)."""
    app = waymark()
    with work(app) as uow:
        schedules.set_mood_checks(uow, app.clock, ref, None, actor=Actor.cli())
    typer.echo(f"mood check-ins for {ref.strip().upper()} stopped")
