"""A small world for the reports pages, with known figures: Sam (the coach's, assigned to
the IOM staff member) attended 6 appointments in October 2026 and missed 2; Alex (another
coach's) attended 7 and missed 6. Each appointment had a reminder sent the day before;
each attended one had an answer (with words the export must never carry)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.composition import Waymark
from bot.models import Appointment, EngagementEvent, Need, NeedCategory, Outcome, Role
from bot.services import accounts
from bot.storage import committed
from tests.support import world
from tests.support.caseloads import OTHER_COACH, account_id, person_id
from tests.support.web import ROLE_EMAILS

SAM, ALEX = "IOM-0001", "IOM-0002"
OCTOBER = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def add(app: Waymark) -> None:
    """The people and their October (the accounts of tests.support.web exist already)."""
    world.add_coach(app, OTHER_COACH, "Olu")
    world.add_person(app, SAM, "Sam")
    world.add_person(app, ALEX, "Alex", coach=OTHER_COACH)
    with committed(app.uow) as uow:
        staff = account_id(app, ROLE_EMAILS[Role.STAFF])
        accounts.assign(uow, app.clock, staff, person_id(app, SAM))
    _appointments(app, SAM, attended=6, missed=2)
    _appointments(app, ALEX, attended=7, missed=6)


def _appointments(app: Waymark, ref: str, attended: int, missed: int) -> None:
    """Appointments in October, each with a reminder sent; the attended ones answered."""
    person = person_id(app, ref)
    coach = world.person(app, ref).coach_id
    with committed(app.uow) as uow:
        session = uow.session
        session.add(
            Need(
                person_id=person, category=NeedCategory.ADHD, recorded_at=OCTOBER, recorded_by=coach
            )
        )
        for number in range(attended + missed):
            starts = OCTOBER + timedelta(days=number + 1)
            outcome = Outcome.ATTENDED if number < attended else Outcome.MISSED
            row = Appointment(
                person_id=person,
                starts_at=starts,
                outcome=outcome,
                place="Camberwell Office",
                with_whom="Jo",
                created_at=OCTOBER,
            )
            session.add(row)
            session.flush()
            sent = starts - timedelta(hours=24)
            session.add(
                EngagementEvent(
                    person_id=person,
                    kind="message_sent",
                    at=sent,
                    appointment_id=row.id,
                    detail={"kind": "reminder", "slot": "lead-24h"},
                )
            )
            if outcome is Outcome.ATTENDED:
                session.add(
                    EngagementEvent(
                        person_id=person,
                        kind="reminder_reply",
                        at=sent + timedelta(minutes=10),
                        appointment_id=row.id,
                        detail={"answer": "coming", "said": "Sam here"},  # "said": never exported
                    )
                )
        uow.commit()
