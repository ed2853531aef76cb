"""`waymark person consent` and `waymark person consents`: a consent recorded from the
command line, the history listed newest first, and bad choices refused with a clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import Cli

REF = "IOM-0042"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(tmp_path, monkeypatch).with_person(REF)


def test_a_consent_is_recorded_and_listed(cli: Cli) -> None:
    assert cli.ok("person", "consents", REF) == f"{REF}: no consent recorded yet\n"

    said = cli.ok("person", "consent", "iom-0042", "--for", "evaluation", "--said", "declined")
    cli.ok("person", "consent", REF, "--for", "Evaluation", "--said", "given")

    assert said == f"{REF}: evaluation declined, recorded\n"
    newest, oldest = cli.ok("person", "consents", REF).splitlines()
    assert newest.endswith("Being counted in the evaluation: Given (Command line)")
    assert oldest.endswith("Being counted in the evaluation: Declined (Command line)")


def test_bad_choices_and_unknown_people_get_one_clear_line(cli: Cli) -> None:
    assert "Choose what the consent is for" in cli.fails(
        "person", "consent", REF, "--for", "party", "--said", "given"
    )
    assert "no person with the reference 'IOM-9'" in cli.fails(
        "person", "consent", "IOM-9", "--for", "service", "--said", "given"
    )
