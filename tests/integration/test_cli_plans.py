"""`waymark goal ...` and `waymark nudge ...` as a coach types them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import Cli, future


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(tmp_path, monkeypatch).with_person("IOM-1", "Camden")


def test_goals_steps_and_checkins(cli: Cli) -> None:
    goal = cli.ok("goal", "add", "IOM-1", "--title", "Get a library card", "--model", "oscar")
    goal_id = goal.strip()
    assert "has no step to check in on" in cli.fails(
        "goal", "checkins", goal_id, "--every", "mon,thu 18:00"
    )
    cli.ok("goal", "step", goal_id, "--text", "Find the library on the map")
    cli.ok(
        "goal",
        "step",
        goal_id,
        "--text",
        "Bring a letter with your address",
        "--due",
        future(3)[:10],
    )
    assert "check-ins mon, thu 18:00" in cli.ok(
        "goal", "checkins", goal_id, "--every", "Mon, Thu 18:00"
    )
    listed = cli.ok("goal", "list", "iom-1")
    assert "Get a library card  (oscar, active, 0 of 2 steps done)" in listed
    assert "[ ]" in listed
    assert "Find the library on the map" in listed
    # A new schedule replaces the old one; daily fires within the planner's 36 hours.
    assert "check-ins daily 18:00" in cli.ok("goal", "checkins", goal_id, "--every", "daily 18:00")
    pending = [line for line in cli.ok("outbox", "list").splitlines() if "pending" in line]
    assert pending
    assert all("checkin" in line for line in pending)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["goal", "add", "NOPE", "--title", "T"], "no person"),
        (["goal", "add", "IOM-1", "--title", "T", "--model", "smart"], "not a coaching model"),
        (["goal", "add", "IOM-1", "--title", "  "], "a goal needs a title"),
        (["goal", "step", "99", "--text", "T"], "no goal"),
        (["goal", "checkins", "99", "--every", "daily 09:00"], "no goal"),
        (["nudge", "add", "IOM-1", "--text", "Hi"], "give a time (--at) or a schedule"),
        (["nudge", "add", "IOM-1", "--at", "2030-01-01 10:00"], "give the nudge's words"),
        (["nudge", "add", "IOM-1", "--text", "Hi", "--at", "2020-01-01 10:00"], "in the past"),
        (
            ["nudge", "add", "IOM-1", "--text", "Hi", "--every", "never o'clock"],
            "is not a schedule",
        ),
        (["nudge", "add", "IOM-1", "--text", "Hi", "--every", "0 9 30 2 *"], "never fire"),
        (
            ["nudge", "add", "IOM-1", "--key", "no_such_item", "--at", "2030-01-01 10:00"],
            "not in the content library",
        ),
        (["nudge", "stop", "99"], "no nudge"),
    ],
)
def test_bad_input_is_a_clear_error(cli: Cli, args: list[str], message: str) -> None:
    assert message in cli.fails(*args)


def test_nudges_once_and_on_a_schedule(cli: Cli) -> None:
    once = cli.ok("nudge", "add", "IOM-1", "--text", "Bring your letter", "--at", future(2)).strip()
    every = cli.ok(
        "nudge", "add", "IOM-1", "--text", "Drink some water", "--every", "daily 10:30"
    ).strip()
    listed = cli.ok("nudge", "list", "IOM-1")
    assert f"{once}  active" in listed
    assert "daily 10:30" in listed
    outbox = cli.ok("outbox", "list")
    assert f"nudge:{once}" in outbox
    assert "sched:" in outbox
    assert f"nudge {every} stopped" in cli.ok("nudge", "stop", every)
    assert f"nudge {once} stopped" in cli.ok("nudge", "stop", once)
    outbox = cli.ok("outbox", "list")
    assert "pending" not in outbox
    assert "stopped" in cli.ok("nudge", "list", "IOM-1")


def test_reply_queues_the_coach_s_words(cli: Cli) -> None:
    assert "reply 1 queued for IOM-1" in cli.ok("reply", "iom-1", "--text", "Yes, 3 is fine.")
    assert "coach_reply" in cli.ok("outbox", "list")
    assert "no person" in cli.fails("reply", "NOPE", "--text", "Hi")
    assert "a reply needs words" in cli.fails("reply", "IOM-1", "--text", "   ")


def test_every_coaching_command_has_help(cli: Cli) -> None:
    for command in (
        ["goal", "add"],
        ["goal", "step"],
        ["goal", "checkins"],
        ["goal", "list"],
        ["nudge", "add"],
        ["nudge", "list"],
        ["nudge", "stop"],
        ["reply"],
    ):
        assert "Usage:" in cli.ok(*command, "--help")


def test_mood_check_ins_on_a_schedule(cli: Cli) -> None:
    assert "mood check-ins for IOM-1: daily 10:00" in cli.ok(
        "mood", "schedule", "iom-1", "--every", "Daily 10:00"
    )
    assert "mood" in cli.ok("outbox", "list")
    assert "stopped" in cli.ok("mood", "stop", "IOM-1")
    assert "pending" not in cli.ok("outbox", "list")
    assert "is not a schedule" in cli.fails("mood", "schedule", "IOM-1", "--every", "often")
    assert "no person" in cli.fails("mood", "stop", "NOPE")
