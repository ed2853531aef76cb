"""Goals, steps, check-ins, nudges and mood check-ins from a person's page: each change
lands in the plan and the outbox; a bad schedule is named and nothing of it is kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import col

from bot.composition import Waymark
from bot.models import (
    Goal,
    GoalStep,
    Nudge,
    OutboxMessage,
    OutboxStatus,
    Role,
    Schedule,
    ScheduleKind,
)
from bot.models.plans import CoachingModel
from tests.support.caseloads import SAM, audit_of, rows, two_caseloads
from tests.support.web import Site


@pytest.fixture
async def coach(site: Site, site_waymark: Waymark) -> Site:
    two_caseloads(site_waymark)
    await site.login_as(Role.COACH)
    return site


async def test_a_goal_gets_steps_and_check_ins(coach: Site, site_waymark: Waymark) -> None:
    added = await coach.post(f"/people/{SAM}/goals", {"title": "Get to the gym", "model": "oscar"})
    assert added.status_code == 303
    [goal] = rows(site_waymark, Goal)
    assert (goal.title, goal.model) == ("Get to the gym", CoachingModel.OSCAR)
    step = await coach.post(
        f"/people/{SAM}/goals/{goal.id}/steps", {"text": "Find my trainers", "due": "2026-11-30"}
    )
    assert step.status_code == 303
    [saved] = rows(site_waymark, GoalStep)
    assert saved.text == "Find my trainers"
    assert str(saved.due_on) == "2026-11-30"
    checkins = await coach.post(
        f"/people/{SAM}/goals/{goal.id}/checkins", {"every": "mon,thu 18:00"}
    )
    assert checkins.status_code == 303
    [schedule] = rows(site_waymark, Schedule)
    assert (schedule.kind, schedule.spec, schedule.goal_id) == (
        ScheduleKind.CHECKIN,
        "mon,thu 18:00",
        goal.id,
    )
    assert rows(site_waymark, OutboxMessage, OutboxMessage.kind == "checkin")
    page = await coach.get(f"/people/{SAM}")
    assert "Check-ins planned" in page.text
    assert "Find my trainers" in page.text
    assert "Check-ins: mon,thu 18:00" in page.text
    subjects = [subject for _, subject in audit_of(site_waymark, SAM)]
    assert subjects[:3] == ["new goal", f"goal {goal.id}", f"goal {goal.id}"]


async def test_bad_goals_steps_and_schedules_are_named_and_kept_out(
    coach: Site, site_waymark: Waymark
) -> None:
    empty = await coach.post(f"/people/{SAM}/goals", {"title": " ", "model": "grow"})
    assert empty.status_code == 422
    assert "Enter the goal, in their words" in empty.text
    assert not rows(site_waymark, Goal)
    await coach.post(f"/people/{SAM}/goals", {"title": "Sleep better", "model": "grow"})
    [goal] = rows(site_waymark, Goal)
    no_step = await coach.post(
        f"/people/{SAM}/goals/{goal.id}/checkins", {"every": "weekdays 08:30"}
    )
    assert no_step.status_code == 422
    assert "has no step to check in on" in no_step.text
    past = await coach.post(
        f"/people/{SAM}/goals/{goal.id}/steps", {"text": "Bed by 11", "due": "2026-01-01"}
    )
    assert past.status_code == 422
    assert "That date is in the past" in past.text
    assert 'value="Bed by 11"' in past.text
    await coach.post(f"/people/{SAM}/goals/{goal.id}/steps", {"text": "Bed by 11"})
    await coach.post(f"/people/{SAM}/goals/{goal.id}/checkins", {"every": "weekdays 08:30"})
    [first] = rows(site_waymark, Schedule)
    planned = rows(site_waymark, OutboxMessage, OutboxMessage.status == OutboxStatus.PENDING)
    nonsense = await coach.post(f"/people/{SAM}/goals/{goal.id}/checkins", {"every": "whenever"})
    assert nonsense.status_code == 422
    assert f'id="goal-{goal.id}-every-error"' in nonsense.text
    # The failed change stopped nothing: the old schedule and its messages stand.
    [still] = rows(site_waymark, Schedule)
    assert still.active
    assert still.id == first.id
    after = rows(site_waymark, OutboxMessage, OutboxMessage.status == OutboxStatus.PENDING)
    assert [m.id for m in after] == [m.id for m in planned]


async def test_nudges_once_and_on_a_schedule_and_stopped(
    coach: Site, site_waymark: Waymark
) -> None:
    once = await coach.post(
        f"/people/{SAM}/nudges",
        {"text": "Pack your bag tonight", "how": "once", "date": "2026-11-24", "time": "19:00"},
    )
    assert once.status_code == 303
    recurring = await coach.post(
        f"/people/{SAM}/nudges",
        {"text": "Drink some water", "how": "every", "every": "weekdays 10:00"},
    )
    assert recurring.status_code == 303
    first, second = rows(site_waymark, Nudge)
    assert first.at == datetime(2026, 11, 24, 19, 0, tzinfo=UTC)
    [row] = rows(site_waymark, OutboxMessage, OutboxMessage.key == f"nudge:{first.id}")
    assert row.status == OutboxStatus.PENDING
    page = await coach.get(f"/people/{SAM}")
    assert "Pack your bag tonight" in page.text
    assert "Every weekdays 10:00" in page.text
    stopped = await coach.post(f"/people/{SAM}/nudges/{first.id}/stop")
    assert stopped.status_code == 303
    assert not rows(site_waymark, Nudge, col(Nudge.id) == first.id)[0].active
    [row] = rows(site_waymark, OutboxMessage, OutboxMessage.key == f"nudge:{first.id}")
    assert row.status == OutboxStatus.CANCELLED
    assert ("change", f"nudge {first.id}") in audit_of(site_waymark, SAM)
    assert second.active


async def test_bad_nudges_are_named_and_nothing_is_planned(
    coach: Site, site_waymark: Waymark
) -> None:
    cases = [
        ({"text": "", "how": "once", "date": "2026-11-24", "time": "19:00"}, "Enter the words"),
        ({"text": "Hi", "how": "once", "date": "2026-11-01", "time": "19:00"}, "in the future"),
        ({"text": "Hi", "how": "every", "every": ""}, "Enter when it repeats"),
        ({"text": "Hi", "how": "every", "every": "every full moon"}, "nudge-every-error"),
        ({"text": "Hi", "how": "sometimes"}, "Choose once or on a schedule"),
    ]
    for data, message in cases:
        page = await coach.post(f"/people/{SAM}/nudges", data)
        assert page.status_code == 422, data
        assert message in page.text, data
    assert not rows(site_waymark, Nudge)
    assert not rows(site_waymark, OutboxMessage)
    assert not rows(site_waymark, Schedule)


async def test_mood_check_ins_are_planned_and_stopped(coach: Site, site_waymark: Waymark) -> None:
    planned = await coach.post(f"/people/{SAM}/mood", {"every": "weekdays 10:00"})
    assert planned.status_code == 303
    [schedule] = rows(site_waymark, Schedule)
    assert (schedule.kind, schedule.active) == (ScheduleKind.MOOD, True)
    page = await coach.get(f"/people/{SAM}")
    assert "They are asked how they feel (green, amber or red): weekdays 10:00" in page.text
    bad = await coach.post(f"/people/{SAM}/mood", {"every": "often"})
    assert bad.status_code == 422
    assert rows(site_waymark, Schedule)[0].active
    stopped = await coach.post(f"/people/{SAM}/mood", {"every": "", "stop": "yes"})
    assert stopped.status_code == 303
    assert not rows(site_waymark, Schedule)[0].active
    assert audit_of(site_waymark, SAM).count(("change", "mood checks")) == 2
