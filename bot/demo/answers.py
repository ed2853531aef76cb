"""How the demo's people answer what Waymark sends them: a reminder (coming, running late,
can't come, how do I get there), a check-in on a step and how sure they feel, a mood
check-in, a nudge to snooze, now and then "Show me" or "Read it to me". Each answer is a
button pressed in the person's chat, some minutes after the message went, handled by the
real conversation service."""

from __future__ import annotations

from datetime import date, timedelta

from bot.demo.story import Fate, Member, Scene, Story
from bot.domain.localtime import local
from bot.flows.reminder_replies import CALENDAR, button_data
from bot.models import Appointment, Format, OutboxMessage
from bot.rendering.renderer import PICTURES, VOICE, again_data
from bot.services import plans
from scheduler.preparing import Ready

# The chance of asking for a message again in the other format, by the person's format.
AGAIN = {Format.WORDS: (0.05, PICTURES), Format.PICTURES: (0.06, VOICE)}
AGAIN_VOICE = (0.04, PICTURES)
CALENDAR_CHANCE = 0.08
SNOOZE_CHANCE = 0.07
BEFORE_START = timedelta(minutes=2)
STEP_ANSWERS = ("some", "not_yet")
DUE_SOON = timedelta(days=4)
EARLY = 0.15  # the chance of a step done early, against one done when it is due


class Answers:
    def __init__(self, story: Story) -> None:
        self.story = story
        self.replay = story.replay

    def __call__(self, row: OutboxMessage, ready: Ready) -> None:
        member = self.story.members.get(row.person_id or 0)
        if member is None:
            return
        if row.kind == "reminder":
            self._reminder(member, row, ready)
        elif row.kind == "checkin":
            self._checkin(member, row)
        elif row.kind == "mood":
            self._mood(member, row)
        elif row.kind == "nudge" and row.key.startswith("sched:"):
            self._nudge(member, row)

    def _press(self, member: Member, after: timedelta, data: str) -> None:
        chat_id = member.chat_id
        self.replay.at(self.replay.now() + after, lambda: self.replay.press(chat_id, data))

    def _reminder(self, member: Member, row: OutboxMessage, ready: Ready) -> None:
        story, rng = self.story, self.story.rng
        appointment = self.replay.session.get(Appointment, row.appointment_id)
        fate = story.fates.get(row.appointment_id or 0)
        if appointment is None or appointment.id is None or fate is None:
            return
        fate.sent += 1
        revision = appointment.revision
        if fate.sent == 1 and rng.random() < CALENDAR_CHANCE:
            data = button_data(appointment.id, revision, CALENDAR)
            self._press(member, story.delay(member.sketch.habits) / 2, data)
        chance, other = AGAIN.get(member.sketch.format, AGAIN_VOICE)
        if ready.draft.sent_id is not None and rng.random() < chance:
            self._press(member, timedelta(minutes=1), again_data(other, ready.draft.sent_id))
        if self._answers_now(fate, row):
            fate.answered = True
            assert fate.answer is not None
            latest = appointment.starts_at - BEFORE_START - self.replay.now()
            after = min(story.delay(member.sketch.habits), latest)
            if after <= timedelta(0):
                return
            self._press(member, after, button_data(appointment.id, revision, fate.answer))
            if fate.answer == "directions":  # then, with the way there, they say they come
                coming = button_data(appointment.id, revision, "coming")
                self._press(member, after + timedelta(minutes=3), coming)

    @staticmethod
    def _answers_now(fate: Fate, row: OutboxMessage) -> bool:
        if fate.answer is None or fate.answered:
            return False
        return fate.on_first or row.slot == "before-60m"

    def _checkin(self, member: Member, row: OutboxMessage) -> None:
        story, rng = self.story, self.story.rng
        goal_id = int(row.variables.get("goal_id") or 0)
        step = plans.current_step(self.replay.session, goal_id)
        if step is None or step.id is None:
            return
        habits = member.sketch.habits
        if story.take(Scene.HELP, member, self.replay.now()):
            answer = "help"
        elif rng.random() > habits.answers:
            return
        elif rng.random() < habits.progress * self._due(step.due_on):
            answer = "done"
        else:
            answer = rng.choice(STEP_ANSWERS)
        after = story.delay(habits)
        self._press(member, after, f"ci:{step.id}:{answer}")
        sure = {"done": (7, 10), "some": (5, 8), "not_yet": (3, 6), "help": (1, 4)}[answer]
        how_sure = rng.randint(*sure)
        chat_id = member.chat_id

        def say_how_sure() -> None:  # about the step they are on now (the next, if done)
            current = plans.current_step(self.replay.session, goal_id)
            if current is not None and current.id is not None:
                self.replay.press(chat_id, f"cf:{current.id}:{how_sure}")

        self.replay.at(self.replay.now() + after + timedelta(minutes=1), say_how_sure)

    def _due(self, due_on: date | None) -> float:
        """Steps get done around their due date: rarely long before it."""
        if due_on is None or local(self.replay.now()).date() >= due_on - DUE_SOON:
            return 1.0
        return EARLY

    def _mood(self, member: Member, row: OutboxMessage) -> None:
        story, rng = self.story, self.story.rng
        habits = member.sketch.habits
        if story.take(Scene.RED, member, self.replay.now()):
            colour = "red"
        elif rng.random() > habits.answers:
            return
        else:
            colour = "green" if rng.random() < habits.calm else "amber"
        after = story.delay(habits)
        self._press(member, after, f"md:{colour}")
        if colour != "green":
            choice = "yes" if colour == "red" or rng.random() < 0.5 else "no"
            self._press(member, after + timedelta(minutes=1), f"qd:{choice}")

    def _nudge(self, member: Member, row: OutboxMessage) -> None:
        if self.story.rng.random() < SNOOZE_CHANCE:
            self._press(member, timedelta(minutes=4), f"sz:{row.id}:hour")
