"""What the replay keeps in mind as it goes: who is who, what will become of each
appointment (its fate, drawn when it is booked), and the few scenes the demo must show."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from random import Random

from bot.demo.people import Habits, Sketch
from bot.demo.plans import Plan
from bot.demo.replay import Replay
from bot.domain.localtime import at_local
from bot.models import Outcome

ANSWERS = ("coming", "late", "cant_come", "directions")
ANSWER_WEIGHTS = (80, 9, 7, 4)
# What becomes of an appointment after each answer (people who confirm come more often).
OUTCOMES: dict[str, tuple[tuple[Outcome, ...], tuple[float, ...]]] = {
    "coming": ((Outcome.ATTENDED, Outcome.MISSED, Outcome.RESCHEDULED), (94, 4, 2)),
    "late": ((Outcome.ATTENDED, Outcome.MISSED), (88, 12)),
    "directions": ((Outcome.ATTENDED, Outcome.MISSED), (90, 10)),
    "cant_come": ((Outcome.RESCHEDULED, Outcome.MISSED), (75, 25)),
}


class Scene(StrEnum):
    """Moments the demo always has, whatever the dice say."""

    HELP = "help"  # a recent check-in answered "I need help" (an open alert)
    RED = "red"  # a red mood some weeks ago (an urgent alert, acknowledged)


@dataclass
class Member:
    sketch: Sketch
    plan: Plan
    person_id: int = 0
    chat_id: str = ""


@dataclass
class Fate:
    answer: str | None  # the reminder answer; None: they do not answer
    on_first: bool  # answered on the first reminder that goes (else the one an hour before)
    outcome: Outcome
    sent: int = 0  # reminders sent so far
    answered: bool = False


@dataclass
class Story:
    replay: Replay
    rng: Random
    today: date
    accounts: dict[str, int] = field(default_factory=dict)  # by email
    members: dict[int, Member] = field(default_factory=dict)  # by person id
    fates: dict[int, Fate] = field(default_factory=dict)  # by appointment id
    # Each scene: from when, and whose it is (None: whoever comes first).
    scenes: dict[Scene, tuple[datetime, str | None]] = field(default_factory=dict)

    @property
    def recent(self) -> datetime:
        """Alerts from here on are still open: the day before the last working day."""
        return at_local(self.last_working_day() - timedelta(days=1), time(0, 0))

    def last_working_day(self) -> date:
        day = self.today - timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day

    def delay(self, habits: Habits) -> timedelta:
        """How long this answer takes: around the person's typical time, sometimes much
        longer (a long tail, as real response times have)."""
        minutes = habits.minutes * math.exp(self.rng.gauss(0, 0.9))
        return timedelta(minutes=min(max(minutes, 0.3), 600))

    def fate(self, habits: Habits) -> Fate:
        rng = self.rng
        if rng.random() < habits.answers:
            answer: str | None = rng.choices(ANSWERS, weights=ANSWER_WEIGHTS)[0]
        else:
            answer = None
        on_first = answer in ("coming", "cant_come") and rng.random() < 0.75
        return Fate(answer, on_first, self.outcome(habits, answer))

    def outcome(self, habits: Habits, answer: str | None) -> Outcome:
        if answer is None:
            if self.rng.random() < habits.turns_up:
                return Outcome.ATTENDED
            return Outcome.MISSED if self.rng.random() < 0.8 else Outcome.RESCHEDULED
        outcomes, weights = OUTCOMES[answer]
        return self.rng.choices(outcomes, weights=weights)[0]

    def take(self, scene: Scene, member: Member, moment: datetime) -> bool:
        """Whether this moment plays the scene (once, from the scene's time on)."""
        if scene not in self.scenes:
            return False
        since, ref = self.scenes[scene]
        if moment < since or ref not in (None, member.sketch.ref):
            return False
        del self.scenes[scene]
        return True
