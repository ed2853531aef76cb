"""`waymark person export|erase|close|reopen` and `waymark retention report|run`, as an
admin types them: files written, the record erased only after the reference is typed
again, clear errors with a non-zero exit, and a report that changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.cli import app
from tests.support.cli import Cli, future
from tests.support.leftovers import rows_in_every_table

REF = "IOM-0042"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    made = Cli(tmp_path, monkeypatch).with_person(REF)
    made.ok(
        "appointment", "add", REF, "--at", future(), "--place", "Camberwell Office", "--with", "Jo"
    )
    return made


def test_export_writes_the_page_and_the_data(cli: Cli, tmp_path: Path) -> None:
    out = cli.ok("person", "export", "iom-0042", "--out", str(tmp_path / "sar")).splitlines()
    page = tmp_path / "sar" / "subject-access-IOM-0042.html"
    data = tmp_path / "sar" / "subject-access-IOM-0042.json"
    assert out[:2] == [f"page: {page}", f"data: {data}"]
    assert out[2].endswith(" s")
    assert "records, made in" in out[2]
    document = json.loads(data.read_text())
    assert document["person"]["case_reference"] == REF
    assert [a["place"] for a in document["appointments"]] == ["Camberwell Office"]
    assert "What Waymark keeps about Sam" in page.read_text()
    assert "no person with the reference 'IOM-9'" in cli.fails(
        "person", "export", "IOM-9", "--out", str(tmp_path)
    )


def test_close_refuses_changes_and_reopen_allows_them(cli: Cli) -> None:
    out = cli.ok("person", "close", REF)
    assert out.startswith(
        f"{REF} closed: 3 waiting messages stopped, no goodbye: their chat was not linked"
    )
    assert "it can be reopened until " in out
    refused = cli.fails("person", "set", REF, "--format", "voice")
    assert "This case is closed, so its record cannot be changed. Reopen the case first." in refused
    assert "closed already" in cli.fails("person", "close", REF)
    assert cli.ok("person", "reopen", REF).startswith(f"{REF} reopened")
    assert "open already" in cli.fails("person", "reopen", REF)
    cli.ok("person", "set", REF, "--format", "voice")


def test_erase_asks_for_the_reference_again(cli: Cli, tmp_path: Path) -> None:
    refused = cli.fails("person", "erase", REF, "--reason", "Sam asked us")
    assert "must not name the person" in refused
    wrong = cli.runner.invoke(app, ["person", "erase", REF, "--reason", "letter"], input="IOM-1\n")
    assert wrong.exit_code == 1
    assert "nothing was erased" in wrong.stderr
    done = cli.runner.invoke(app, ["person", "erase", REF, "--reason", "letter"], input=f"{REF}\n")
    assert done.exit_code == 0, done.output
    assert "erased: " in done.stdout
    assert "the audit trail keeps that it happened, and why" in done.stdout
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with engine.connect() as connection:
        people = connection.execute(text("SELECT count(*) FROM person")).scalar_one()
        erased = connection.execute(
            text("SELECT subject, via FROM audit_entry WHERE action = 'erase'")
        ).all()
    engine.dispose()
    assert people == 0
    assert [tuple(row) for row in erased] == [("erasure: letter", "cli")]


def test_retention_report_changes_nothing_and_run_records_a_run(cli: Cli, tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    before = rows_in_every_table(engine)
    report = cli.ok("retention", "report").splitlines()
    assert report[0].split()[:2] == ["sent-messages", "0"]
    assert "older than 1 day: failed link codes" in "\n".join(report)
    assert report[-1] == "0 rows would go. Nothing was changed."
    assert rows_in_every_table(engine) == before
    assert cli.ok("retention", "run").splitlines()[-1] == "0 taken"
    assert rows_in_every_table(engine)["retention_run"] == 1
    assert "last run: " in cli.ok("retention", "report")
    engine.dispose()
