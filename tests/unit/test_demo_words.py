"""The demo's cast and words, as data: every reference, borough and schedule is one the
real services take, and every word a demo person is sent meets the plain-language
targets (DESIGN.md section 5), as the content library's words do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.content.crisis import load_crisis_words
from bot.content.plain_language.check import check
from bot.demo.history import RELAY, RELAY_ANSWER
from bot.demo.people import ACCOUNTS, DOMAIN, PEOPLE
from bot.demo.plans import PLANS
from bot.domain.boroughs import BOROUGHS
from bot.domain.recurrence import check_fires, parse_every
from bot.models import Role
from bot.services.accounts import check_password

SENT = [
    *(plan.hello for plan in PLANS.values()),
    *(nudge.text for plan in PLANS.values() for nudge in plan.nudges),
    RELAY_ANSWER,
]
SHOWN = [text for plan in PLANS.values() for text in (plan.goal.title, *plan.goal.steps)]


def test_every_person_has_a_plan_and_a_coach() -> None:
    refs = [sketch.ref for sketch in PEOPLE]
    assert len(refs) == len(set(refs)) == 12
    assert set(PLANS) == set(refs)
    coaches = {account for account in ACCOUNTS if account.role is Role.COACH}
    assert {sketch.coach for sketch in PEOPLE} == coaches
    assert all(sketch.borough in BOROUGHS for sketch in PEOPLE)


def test_the_accounts_cannot_be_anyones_real_address() -> None:
    assert DOMAIN.endswith(".example")  # reserved (RFC 2606): never a real address
    for account in ACCOUNTS:
        assert account.email.endswith(f"@{DOMAIN}")
        assert check_password(account.password) == account.password


def test_every_schedule_is_one_the_services_take() -> None:
    specs = [plan.goal.checkins for plan in PLANS.values()]
    specs += [n.every for plan in PLANS.values() for n in plan.nudges if n.every]
    specs += [sketch.mood for sketch in PEOPLE if sketch.mood]
    for spec in specs:
        check_fires(parse_every(spec), datetime(2026, 11, 23, tzinfo=UTC))


@pytest.mark.parametrize("text", SENT)
def test_what_the_coaches_send_is_plain_and_short(text: str) -> None:
    assert [f.message for f in check(text, easy=True) if f.is_problem] == []


@pytest.mark.parametrize("text", SHOWN)
def test_goals_and_steps_are_plain(text: str) -> None:
    assert [f.message for f in check(text, easy=True, kind="line") if f.is_problem] == []


def test_what_a_person_types_to_their_coach_is_not_a_crisis() -> None:
    assert not load_crisis_words().matches(RELAY)
