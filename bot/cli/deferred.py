"""Commands that are imported when they run.

`waymark --help` lists every command from a table of names and help lines; only the
command that runs is imported, with what it needs: `waymark appointment list` never
imports the web app, a Telegram framework or the demo. Each command module stays an
ordinary Typer app or command function; the table says where it lives.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_group

if TYPE_CHECKING:  # Typer's own copy of Click, named for the type checker only
    from typer._click import Command, Context


@dataclass(frozen=True)
class Deferred:
    """Where a command lives, as "module:attribute" (a Typer app or a command function),
    and the line `waymark --help` shows for it."""

    where: str
    help: str


class Listed(TyperCommand):
    """A command known by its name and help line until it runs."""

    def __init__(self, name: str, deferred: Deferred) -> None:
        super().__init__(name=name, help=deferred.help)
        self.deferred = deferred

    def load(self, name: str) -> Command:
        """The command itself, made as `add_typer` or `command` on the root would make it."""
        module, _, attribute = self.deferred.where.partition(":")
        target = getattr(importlib.import_module(module), attribute)
        holder = typer.Typer()
        if isinstance(target, typer.Typer):
            holder.add_typer(target, name=name)
        else:
            holder.command(name)(target)
        return get_group(holder).commands[name]


class DeferredGroup(TyperGroup):
    """A group whose commands come from `table`, each imported when it is run (or asked
    for its own help)."""

    table: ClassVar[dict[str, Deferred]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, deferred in self.table.items():
            self.add_command(Listed(name, deferred), name)

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and isinstance(command, Listed):
            command = self.commands[name] = command.load(name)
        return name, command, rest
