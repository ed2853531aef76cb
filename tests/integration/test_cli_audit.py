"""The command line is audited like the dashboard and the API: the service that changes a
person's data writes the audit row, naming the command line as the way in."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from bot.models import AuditEntry, Person
from bot.storage import build_engine
from tests.support.cli import Cli, future


def _entries(tmp_path: Path) -> list[tuple[str, str, str, int | None, str | None]]:
    engine = build_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    try:
        with Session(engine) as session:
            query = (
                select(AuditEntry, Person.ref)
                .outerjoin(Person, col(Person.id) == col(AuditEntry.person_id))
                .where(AuditEntry.action == "change")
                .order_by(col(AuditEntry.id))
            )
            return [
                (entry.action, entry.subject, entry.via, entry.account_id, ref)
                for entry, ref in session.exec(query).all()
            ]
    finally:
        engine.dispose()


def test_appointment_add_leaves_an_audit_row_naming_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(tmp_path, monkeypatch).with_person("IOM-0042")
    appointment_id = cli.ok(
        "appointment", "add", "IOM-0042", "--at", future(), "--place", "P", "--with", "W"
    ).strip()
    assert _entries(tmp_path) == [("change", "new appointment", "cli", None, "IOM-0042")]

    cli.ok("appointment", "move", appointment_id, "--at", future(3))
    cli.ok("appointment", "cancel", appointment_id)
    assert _entries(tmp_path)[1:] == [
        ("change", f"appointment {appointment_id}: move", "cli", None, "IOM-0042"),
        ("change", f"appointment {appointment_id}: cancel", "cli", None, "IOM-0042"),
    ]


def test_a_refused_command_leaves_no_audit_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(tmp_path, monkeypatch).with_person("IOM-0042")
    cli.fails(
        "appointment", "add", "IOM-0042", "--at", "2020-01-01 10:00", "--place", "P", "--with", "W"
    )
    assert _entries(tmp_path) == []
