"""One person's attendance and engagement in numbers: what IOM staff may see of them.

Counted the way the reports count (bot/services/reports/): the attendance rate is the
share attended of those attended or missed, and the reply rate the share of appointments
with a reminder sent where the person answered one of its reminders."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.domain.clock import Clock
from bot.models import Appointment, AppointmentStatus, EngagementEvent, Outcome

SENT = "message_sent"
REPLY = "reminder_reply"


@dataclass(frozen=True)
class Summary:
    attended: int
    missed: int
    rescheduled: int
    awaiting_outcome: int  # started, not cancelled, nothing recorded yet
    upcoming: int
    cancelled: int
    reminded: int  # appointments with a reminder sent
    replied: int  # of those, how many the person answered

    @property
    def attendance_rate(self) -> float | None:
        counted = self.attended + self.missed
        return None if counted == 0 else self.attended / counted

    @property
    def reply_rate(self) -> float | None:
        return None if self.reminded == 0 else self.replied / self.reminded


def _appointments_with(session: Session, person_id: int, kind: str) -> set[int]:
    query = (
        select(EngagementEvent.appointment_id)
        .where(EngagementEvent.person_id == person_id)
        .where(EngagementEvent.kind == kind)
        .where(col(EngagementEvent.appointment_id).is_not(None))
        .distinct()
    )
    return {i for i in session.exec(query).all() if i is not None}


def summary(session: Session, clock: Clock, person_id: int) -> Summary:
    now = clock.now()
    appointments = session.exec(select(Appointment).where(Appointment.person_id == person_id)).all()
    outcomes = [a.outcome for a in appointments if a.status == AppointmentStatus.SCHEDULED]
    scheduled = [a for a in appointments if a.status == AppointmentStatus.SCHEDULED]
    live = {a.id for a in scheduled}
    reminded = _appointments_with(session, person_id, SENT) & live
    replied = _appointments_with(session, person_id, REPLY) & reminded
    return Summary(
        attended=outcomes.count(Outcome.ATTENDED),
        missed=outcomes.count(Outcome.MISSED),
        rescheduled=outcomes.count(Outcome.RESCHEDULED),
        awaiting_outcome=sum(1 for a in scheduled if a.outcome is None and a.starts_at <= now),
        upcoming=sum(1 for a in scheduled if a.starts_at > now),
        cancelled=len(appointments) - len(scheduled),
        reminded=len(reminded),
        replied=len(replied),
    )
