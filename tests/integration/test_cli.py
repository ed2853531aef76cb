"""The `waymark` command line, as a coach types it: every command, and clear errors
with a non-zero exit for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.support.cli import Cli, future


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(tmp_path, monkeypatch).with_person("iom-0042", "tower hamlets")


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for command in (
        ["serve"],
        ["db", "upgrade"],
        ["coach", "add"],
        ["coach", "link"],
        ["person", "add"],
        ["invite"],
        ["appointment", "add"],
        ["appointment", "move"],
        ["appointment", "cancel"],
        ["appointment", "list"],
        ["appointment", "outcome"],
        ["alerts", "list"],
        ["outbox", "list"],
    ):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage:" in result.stdout


def test_people_and_invites(cli: Cli) -> None:
    # Without a bot token Waymark runs without Telegram: the web chat is the way in.
    out = cli.ok("invite", "IOM-0042").splitlines()
    code = out[1].removeprefix("code: ")
    assert out[0] == f"http://127.0.0.1:8080/chat/join?code={code}"
    assert "t.me" not in "\n".join(out)
    assert 32 <= len(code) <= 64
    link = cli.ok("coach", "link", "priya@example.org").splitlines()
    assert link[0].startswith("http://127.0.0.1:8080/chat/join?code=")
    assert "Tower Hamlets" in cli.ok(
        "person",
        "add",
        "--ref",
        "IOM-7",
        "--name",
        "Al",
        "--borough",
        "Tower-Hamlets",
        "--coach",
        "priya@example.org",
    )


def test_with_telegram_the_invite_leads_with_its_link(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:" + "A" * 35)
    out = cli.ok("invite", "IOM-0042").splitlines()
    code = out[1].removeprefix("code: ")
    assert out[0] == f"https://t.me/waymark_pilot_bot?start={code}"
    assert out[3] == f"web chat: http://127.0.0.1:8080/chat/join?code={code}"


def test_a_pairing_code_to_read_out(cli: Cli) -> None:
    out = cli.ok("person", "pair", "iom-0042").splitlines()
    spoken = out[0].removeprefix("pairing code: ")
    assert len(spoken) == 7
    assert spoken[3] == " "
    assert spoken.replace(" ", "").isdigit()
    assert "works once, until" in out[1]
    assert "/chat/join" in out[1]
    assert "Telegram" not in out[1]  # no token: Telegram is off
    assert "no person" in cli.fails("person", "pair", "IOM-9999").lower()


def test_appointments_round_trip(cli: Cli) -> None:
    appointment_id = cli.ok(
        "appointment",
        "add",
        "IOM-0042",
        "--at",
        future(),
        "--place",
        "Camberwell Office",
        "--with",
        "Jo",
        "--kind",
        "probation",
    ).strip()
    assert appointment_id.isdigit()
    listed = cli.ok("appointment", "list", "iom-0042")
    assert f"{future()[:10]} 10:00" in listed
    assert "Camberwell Office (with Jo)" in listed
    outbox = cli.ok("outbox", "list")
    assert outbox.count("pending") == 3
    assert "evening-before" in outbox
    assert "moved to" in cli.ok("appointment", "move", appointment_id, "--at", future(3))
    assert cli.ok("outbox", "list").count("cancelled") == 3
    assert "cancelled" in cli.ok("appointment", "cancel", appointment_id)
    assert "pending" not in cli.ok("outbox", "list")
    assert cli.ok("alerts", "list").strip() == "no open alerts"


def test_custom_lead_times(cli: Cli) -> None:
    cli.ok(
        "appointment",
        "add",
        "IOM-0042",
        "--at",
        future(5),
        "--place",
        "P",
        "--with",
        "W",
        "--remind",
        "2d,90m",
    )
    outbox = cli.ok("outbox", "list")
    assert "lead-2d" in outbox
    assert "lead-90m" in outbox
    assert "evening-before" not in outbox


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["invite", "NOPE"], "no person with the reference 'NOPE'"),
        (
            [
                "appointment",
                "add",
                "NOPE",
                "--at",
                "2030-01-01 10:00",
                "--place",
                "P",
                "--with",
                "W",
            ],
            "no person",
        ),
        (
            [
                "appointment",
                "add",
                "IOM-0042",
                "--at",
                "2020-01-01 10:00",
                "--place",
                "P",
                "--with",
                "W",
            ],
            "that time is in the past",
        ),
        (
            [
                "appointment",
                "add",
                "IOM-0042",
                "--at",
                "next tuesday",
                "--place",
                "P",
                "--with",
                "W",
            ],
            "is not a date and time like",
        ),
        (
            [
                "appointment",
                "add",
                "IOM-0042",
                "--at",
                "2030-01-01 10:00",
                "--place",
                " ",
                "--with",
                "W",
            ],
            "a place is needed",
        ),
        (
            [
                "appointment",
                "add",
                "IOM-0042",
                "--at",
                "2030-01-01 10:00",
                "--place",
                "P",
                "--with",
                "W",
                "--kind",
                "party",
            ],
            "is not a kind of appointment",
        ),
        (
            [
                "appointment",
                "add",
                "IOM-0042",
                "--at",
                "2030-01-01 10:00",
                "--place",
                "P",
                "--with",
                "W",
                "--remind",
                "soon",
            ],
            "is not a lead time",
        ),
        (["appointment", "move", "999", "--at", "2030-01-01 10:00"], "no appointment"),
        (["appointment", "cancel", "999"], "no appointment"),
        (["appointment", "outcome", "999", "attended"], "no appointment"),
        (
            [
                "person",
                "add",
                "--ref",
                "IOM-0042",
                "--name",
                "Sam",
                "--borough",
                "Camden",
                "--coach",
                "priya@example.org",
            ],
            "exists already",
        ),
        (
            [
                "person",
                "add",
                "--ref",
                "IOM-9",
                "--name",
                "Sam",
                "--borough",
                "Gotham",
                "--coach",
                "priya@example.org",
            ],
            "is not a London borough",
        ),
        (
            [
                "person",
                "add",
                "--ref",
                "IOM-9",
                "--name",
                "Sam",
                "--borough",
                "Camden",
                "--coach",
                "nobody@example.org",
            ],
            "no coach",
        ),
        (["coach", "add", "--email", "priya@example.org", "--name", "P"], "exists already"),
        (["coach", "add", "--email", "not-an-email", "--name", "P"], "is not an email"),
        (["coach", "link", "nobody@example.org"], "no coach"),
    ],
)
def test_bad_input_is_a_clear_error(cli: Cli, args: list[str], message: str) -> None:
    assert message in cli.fails(*args)


def test_an_appointment_with_how_to_get_there(cli: Cli) -> None:
    appointment_id = cli.ok(
        "appointment", "add", "IOM-0042", "--at", future(), "--place", "P", "--with", "W",
        "--travel-note", "Bus 36", "--latitude", "51.4741", "--longitude", "-0.0931",
    ).strip()  # fmt: skip
    assert appointment_id.isdigit()
    half = ("appointment", "add", "IOM-0042", "--at", future(), "--place", "P", "--with", "W")
    assert "both the latitude and the longitude" in cli.fails(*half, "--latitude", "51.4")


def test_outcomes(cli: Cli) -> None:
    appointment_id = cli.ok(
        "appointment", "add", "IOM-0042", "--at", future(), "--place", "P", "--with", "W"
    ).strip()
    assert "has not started yet" in cli.fails("appointment", "outcome", appointment_id, "attended")
    assert "is not an outcome" in cli.fails("appointment", "outcome", appointment_id, "maybe")


def test_bad_settings_fail_fast(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", "ftp://example.org")
    assert "TELEGRAM_API_URL must be an http" in cli.fails("outbox", "list")
