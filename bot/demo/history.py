"""The demo's three months, as the replay lives them: the accounts are made, people join
(linked to the web chat and onboarded in it), their coach records needs and sets a goal,
nudges and check-ins, appointments are booked, reminded, answered and recorded, alerts
are raised and the older ones acknowledged. It ends today, with two weeks of appointments
ahead and their reminders waiting in the outbox."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial

from sqlmodel import col, select

from bot.demo.answers import Answers
from bot.demo.people import ACCOUNTS, GRACE, PEOPLE, Rhythm
from bot.demo.plans import PLANS, NudgeSketch
from bot.demo.replay import Action
from bot.demo.story import Fate, Member, Scene, Story
from bot.domain.actor import Actor
from bot.domain.localtime import at_local, local
from bot.models import Alert, AppointmentKind, AppointmentStatus, Outcome
from bot.services import accounts, alerts, appointments, needs, nudges, people, plans, schedules
from bot.services import webchat as webchat_links
from bot.services.appointments import NewAppointment

HISTORY_DAYS = 98  # the first account; people join from 96 days ago
AHEAD_DAYS = 14
BOOKED_BEFORE = timedelta(days=6)  # appointments are booked about a week ahead
NIGHT = time(0, 30)  # when the planner's day starts (it plans 36 hours ahead)
OFFICE = (time(9, 0), time(17, 30))  # coaches acknowledge alerts in these hours
RELAY = "Can we move my next appointment? I have a job interview that day."
RELAY_ANSWER = "Yes. Good luck with the interview. Your appointment is now the next day."


class History:
    def __init__(self, story: Story) -> None:
        self.story = story
        self.replay = story.replay
        self.rng = story.rng
        self.replay.on_sent = Answers(story)

    def play(self) -> None:
        today = self.story.today
        self._at(today - timedelta(days=HISTORY_DAYS), time(9, 0), self._accounts)
        for index, sketch in enumerate(PEOPLE):
            member = Member(sketch, PLANS[sketch.ref])
            joined = at_local(today - timedelta(days=sketch.joined), time(10, 0))
            self.replay.at(joined + timedelta(minutes=7 * index), partial(self._join, member))
        for day in range(HISTORY_DAYS + 1):
            self._at(today - timedelta(days=day), NIGHT, self._plan)
        self._scenes()
        self.replay.run()
        self._acknowledge()
        self._plan()
        for member in self.story.members.values():
            at = self.replay.now() + timedelta(seconds=30)
            nudges.add(
                self.replay.work,
                self.replay.clock,
                member.sketch.ref,
                text=member.plan.hello,
                at=at,
            )

    def _at(self, day: date, clock_time: time, action: Action) -> None:
        self.replay.at(at_local(day, clock_time), action)

    def _accounts(self) -> None:
        for account in ACCOUNTS:
            made = accounts.add_account(
                self.replay.work,
                self.replay.clock,
                email=account.email,
                name=account.name,
                role=account.role,
                password=account.password,
            )
            assert made.id is not None
            made.demo_account = True  # the only place it is set (no second factor, in the demo)
            self.replay.session.add(made)
            self.story.accounts[account.email] = made.id

    def _plan(self) -> None:
        """What the scheduler's planner does (every 15 minutes live; daily covers its 36 hours)."""
        schedules.plan_all(self.replay.session, self.replay.clock)

    def _join(self, member: Member) -> None:
        sketch, work, clock = member.sketch, self.replay.work, self.replay.clock
        person = people.add_person(
            work,
            clock,
            ref=sketch.ref,
            name=sketch.name,
            borough=sketch.borough,
            coach_email=sketch.coach.email,
        )
        assert person.id is not None
        people.set_preferences(work, sketch.ref, easy_read=sketch.easy_read)
        linked = webchat_links.link_person(work, clock, person.id)
        assert linked is not None
        member.person_id, member.chat_id = person.id, linked.chat_id
        self.story.members[person.id] = member
        presses = (
            "ob:consent:agree",
            f"ob:format:{sketch.format}",
            f"ob:reminders:{'fewer' if sketch.fewer else 'recommended'}",
            f"ob:quiet:{sketch.quiet}",
            "ob:discreet:discreet_on",
            "ob:practice:coming",
        )
        self.replay.type(member.chat_id, "/start")
        for minutes, data in enumerate(presses, start=1):
            self._later(timedelta(minutes=minutes), member, data)
        start = local(self.replay.now()).date()
        self._at(start + timedelta(days=1), time(11, 0), lambda: self._screened(member))
        self._at(start + timedelta(days=2), time(15, 0), lambda: self._coaching(member))
        for rhythm in sketch.rhythms:
            self._book_rhythm(member, rhythm, start + timedelta(days=2))

    def _later(self, after: timedelta, member: Member, data: str) -> None:
        chat_id = member.chat_id
        self.replay.at(self.replay.now() + after, lambda: self.replay.press(chat_id, data))

    def _screened(self, member: Member) -> None:
        """The coach records the needs screening found; Grace takes on some people."""
        coach_id = self.story.accounts[member.sketch.coach.email]
        for need in member.sketch.needs:
            actor = Actor.dashboard(coach_id)
            needs.record(
                self.replay.work, self.replay.clock, member.person_id, need, coach_id, actor=actor
            )
        if member.sketch.staff:
            grace = self.story.accounts[GRACE.email]
            accounts.assign(self.replay.work, self.replay.clock, grace, member.person_id)

    def _coaching(self, member: Member) -> None:
        work, clock, ref = self.replay.work, self.replay.clock, member.sketch.ref
        sketch = member.plan.goal
        goal = plans.add_goal(work, clock, ref, sketch.title, sketch.model)
        goal.scaffold = dict(sketch.scaffold)  # the coach's notes on each question
        assert goal.id is not None
        today = local(clock.now()).date()
        span = (self.story.today - today).days + AHEAD_DAYS
        if sketch.weeks is not None:
            span = 7 * sketch.weeks
        for number, text in enumerate(sketch.steps, start=1):
            due = today + timedelta(days=span * number // len(sketch.steps))
            plans.add_step(work, clock, goal.id, text, due)
        plans.set_checkins(work, clock, goal.id, sketch.checkins)
        for nudge in member.plan.nudges:
            self._nudge(member, nudge)
        if member.sketch.mood is not None:
            schedules.set_mood_checks(
                work, clock, ref, member.sketch.mood, actor=self._coach(member)
            )

    def _nudge(self, member: Member, nudge: NudgeSketch) -> None:
        work, clock, ref = self.replay.work, self.replay.clock, member.sketch.ref
        if nudge.every is not None:
            nudges.add(work, clock, ref, text=nudge.text, every=nudge.every)
            return
        at = at_local(self.story.today + timedelta(days=nudge.day), nudge.at)
        if at > clock.now():
            nudges.add(work, clock, ref, text=nudge.text, at=at)

    def _book_rhythm(self, member: Member, rhythm: Rhythm, first: date) -> None:
        day = first + timedelta(days=(rhythm.weekday - first.weekday()) % 7)
        last = self.story.today + timedelta(days=AHEAD_DAYS)
        while day <= last:
            starts = at_local(day, rhythm.at)
            new = NewAppointment(starts, rhythm.place, rhythm.with_whom, rhythm.kind)
            self._book(member, new)
            day += timedelta(days=rhythm.every)

    def _book(self, member: Member, new: NewAppointment, fate: Fate | None = None) -> None:
        """Booked about a week ahead (and never after today), with its fate drawn then."""
        booked = max(self.replay.now(), min(new.starts_at - BOOKED_BEFORE, self.replay.until))
        self.replay.at(booked, lambda: self._booked(member, new, fate))

    def _booked(self, member: Member, new: NewAppointment, fate: Fate | None) -> None:
        work, clock = self.replay.work, self.replay.clock
        if new.starts_at <= clock.now():
            return
        appointment = appointments.add(
            work, clock, member.sketch.ref, new, actor=self._coach(member)
        )
        assert appointment.id is not None
        fate = fate or self.story.fate(member.sketch.habits)
        self.story.fates[appointment.id] = fate
        record = new.starts_at + timedelta(hours=self.rng.uniform(1.5, 26))
        self.replay.at(record, lambda: self._outcome(member, appointment.id or 0, fate))
        evening = at_local(local(new.starts_at).date() - timedelta(days=1), time(20, 0))
        if self.rng.random() < 0.1 and evening > clock.now():
            chat_id = member.chat_id
            self.replay.at(
                evening + timedelta(minutes=self.rng.randint(0, 90)),
                lambda: self.replay.type(chat_id, "/next"),
            )

    def _outcome(self, member: Member, appointment_id: int, fate: Fate) -> None:
        """Staff record what happened; a rescheduled one is booked again a few days on."""
        work, clock = self.replay.work, self.replay.clock
        appointment = appointments.get(self.replay.session, appointment_id)
        if appointment.status == AppointmentStatus.CANCELLED:
            return
        if appointment.starts_at > clock.now():  # moved later: record it after the new time
            later = appointment.starts_at + timedelta(hours=3)
            self.replay.at(later, lambda: self._outcome(member, appointment_id, fate))
            return
        appointments.record_outcome(
            work, clock, appointment_id, fate.outcome, actor=self._coach(member)
        )
        if fate.outcome == Outcome.RESCHEDULED:
            day = local(appointment.starts_at).date() + timedelta(days=self.rng.randint(2, 5))
            while day.weekday() >= 5:
                day += timedelta(days=1)
            starts = at_local(day, local(appointment.starts_at).time())
            new = NewAppointment(starts, appointment.place, appointment.with_whom, appointment.kind)
            self._book(member, new)

    def _coach(self, member: Member) -> Actor:
        """The person's coach, at the dashboard: who books and records in the demo."""
        person = people.person_by_ref(self.replay.session, member.sketch.ref)
        return Actor.dashboard(person.coach_id)

    def _member(self, ref: str) -> Member:
        return next(m for m in self.story.members.values() if m.sketch.ref == ref)

    def _scenes(self) -> None:
        """What the demo always shows: three open alerts from the last working day (running
        late, lost on the way, can't come), a check-in answered "I need help", a red mood
        some weeks ago, and a message to the coach that moved an appointment."""
        story = self.story
        day = story.last_working_day()
        story.scenes[Scene.HELP] = (story.recent, None)
        story.scenes[Scene.RED] = (at_local(story.today - timedelta(days=38), NIGHT), "IOM-1090")
        scenes = (
            (
                "IOM-1078",
                time(15, 30),
                AppointmentKind.PROBATION,
                Fate("late", False, Outcome.ATTENDED),
            ),
            (
                "IOM-1057",
                time(12, 30),
                AppointmentKind.COACHING,
                Fate("directions", False, Outcome.ATTENDED),
            ),
            (
                "IOM-1063",
                time(16, 0),
                AppointmentKind.PROBATION,
                Fate("cant_come", True, Outcome.RESCHEDULED),
            ),
        )
        for ref, at, kind, fate in scenes:
            sketch = next(s for s in PEOPLE if s.ref == ref)
            rhythm = next(r for r in sketch.rhythms if r.kind == kind)
            new = NewAppointment(at_local(day, at), rhythm.place, rhythm.with_whom, kind)
            booked = at_local(day - timedelta(days=6), time(10, 0))
            self.replay.at(booked, partial(self._scene_booked, ref, new, fate))
        asked = at_local(story.today - timedelta(days=10), time(16, 20))
        self.replay.at(asked, lambda: self._relay(self._member("IOM-1084")))

    def _scene_booked(self, ref: str, new: NewAppointment, fate: Fate) -> None:
        self._book(self._member(ref), new, fate)

    def _relay(self, member: Member) -> None:
        self.replay.type(member.chat_id, "/coach")
        self._typed(member, timedelta(minutes=1), RELAY)
        self.replay.at(self.replay.now() + timedelta(minutes=45), lambda: self._moved(member))

    def _typed(self, member: Member, after: timedelta, text: str) -> None:
        chat_id = member.chat_id
        self.replay.at(self.replay.now() + after, lambda: self.replay.type(chat_id, text))

    def _moved(self, member: Member) -> None:
        """The coach moves the appointment a day on and answers."""
        session, clock = self.replay.session, self.replay.clock
        person = people.person_by_ref(session, member.sketch.ref)
        for appointment in appointments.upcoming(session, clock, person):
            if local(appointment.starts_at).weekday() < 4 and appointment.id is not None:
                later = appointment.starts_at + timedelta(days=1)
                actor = Actor.dashboard(person.coach_id)
                appointments.move(self.replay.work, clock, appointment.id, later, actor=actor)
                nudges.reply(self.replay.work, clock, member.sketch.ref, RELAY_ANSWER)
                return

    def _acknowledge(self) -> None:
        """Coaches have seen every alert but those of the last working day or so."""
        session, clock = self.replay.session, self.replay.clock
        older = session.exec(
            select(Alert)
            .where(col(Alert.created_at) < self.story.recent)
            .order_by(col(Alert.created_at), col(Alert.id))
        ).all()
        for alert in older:
            seen = _office_hours(alert.created_at + timedelta(minutes=self.rng.randint(5, 180)))
            clock.set(min(seen, self.replay.until))
            assert alert.id is not None
            alerts.acknowledge(self.replay.work, clock, alert.id, alert.coach_id)
        clock.set(self.replay.until)


def _office_hours(moment: datetime) -> datetime:
    """The same time if it is in office hours, else 09:30 on the next weekday."""
    here = local(moment)
    if here.weekday() < 5 and OFFICE[0] <= here.time() <= OFFICE[1]:
        return moment
    day = here.date() + timedelta(days=0 if here.time() < OFFICE[0] else 1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return at_local(day, time(9, 30))
