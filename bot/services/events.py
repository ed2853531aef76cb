"""Recording what flows decided: the domain events, applied in one unit of work."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from bot.content.library import ContentLibrary
from bot.domain.chat import ChatRef
from bot.domain.clock import Clock
from bot.flows.types import (
    AboutMeSaved,
    AlertRaised,
    ConsentDeclined,
    ConsentGiven,
    ConsentRecorded,
    Engaged,
    ErasureAsked,
    Event,
    Incoming,
    Kind,
    OnboardingFinished,
    PauseChanged,
    PreferenceChosen,
    QuietDayChosen,
    Relayed,
    ReminderAnswered,
    Snoozed,
    StepAnswered,
)
from bot.models import (
    Appointment,
    Confirmation,
    Consent,
    Decision,
    Format,
    Person,
    Purpose,
    ReminderPlan,
    Via,
)
from bot.services import (
    alerts,
    coaching,
    consent_history,
    engagement,
    erasure_requests,
    invites,
    passport,
)
from bot.services.appointments import replan_person

CONFIRMATIONS = {
    "coming": Confirmation.COMING,
    "late": Confirmation.LATE,
    "cant_come": Confirmation.CANT_COME,
}


def apply(
    session: Session, clock: Clock, content: ContentLibrary, person: Person, events: Iterable[Event]
) -> bool:
    """Apply each event; return whether an alert was raised (so it goes out at once)."""
    assert person.id is not None
    raised = False
    replan = False
    for event in events:
        match event:
            case ConsentGiven() | ConsentDeclined():
                given = isinstance(event, ConsentGiven)
                person.consent = Consent.GIVEN if given else Consent.DECLINED
                person.consent_version = content.version
                person.consent_at = clock.now()
                engagement.record(
                    session,
                    clock,
                    person.id,
                    "consent",
                    {"given": given, "version": content.version},
                )
                decision = Decision.GIVEN if given else Decision.DECLINED
                consent_history.record(
                    session,
                    clock,
                    person,
                    Purpose.SERVICE,
                    decision,
                    via=Via.BOT,
                    wording_version=content.version,
                )
            case PreferenceChosen(name="format", value=str(value)):
                person.format = Format(value)
            case PreferenceChosen(name="reminder_plan", value=str(value)):
                person.reminder_plan = ReminderPlan(value)
                replan = True
            case PreferenceChosen(name="quiet_from", value=value):
                person.quiet_from = value
                replan = True
            case PreferenceChosen(name="discreet", value=value):
                person.discreet_previews = value != "off"
            case OnboardingFinished():
                engagement.record(session, clock, person.id, "onboarded", {"format": person.format})
            case ReminderAnswered(appointment_id=appointment_id, answer=answer):
                _answered(session, clock, person, appointment_id, answer)
            case AlertRaised():
                alerts.raise_alert(
                    session, clock, person, event.kind, event.detail, urgent=event.urgent
                )
                raised = True
            case PauseChanged(paused=paused):
                person.paused = paused
                engagement.record(session, clock, person.id, "paused" if paused else "resumed")
            case StepAnswered(step_id=step_id, answer=answer):
                coaching.answer_step(session, clock, person, step_id, answer)
            case QuietDayChosen():
                coaching.start_quiet_day(session, clock, person)
            case Snoozed(outbox_id=outbox_id, until=until):
                coaching.snooze(session, clock, person, outbox_id, until)
            case Relayed(text=text, media_id=media_id):
                coaching.relay(session, clock, person, text, media_id)
                raised = True  # the coach's copy goes out at once
            case ConsentRecorded(purpose=purpose, decision=decision):
                consent_history.record(
                    session,
                    clock,
                    person,
                    Purpose(purpose),
                    Decision(decision),
                    via=Via.BOT,
                    wording_version=content.version,
                )
            case ErasureAsked():
                erasure_requests.request_erasure(session, clock, person, via="bot")
            case AboutMeSaved(answers=answers, words=words, voice_id=voice_id):
                passport.save(
                    session,
                    clock,
                    person,
                    answers,
                    words=words,
                    voice_id=voice_id or None,
                    via=Via.BOT,
                )
            case Engaged(kind=kind, detail=detail):
                engagement.record(session, clock, person.id, kind, dict(detail))
            case _:
                raise TypeError(f"unknown event {event!r}")
    session.add(person)
    if replan:
        session.flush()
        replan_person(session, clock, person)
    return raised


def _answered(
    session: Session, clock: Clock, person: Person, appointment_id: int, answer: str
) -> None:
    assert person.id is not None
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.person_id != person.id:
        return
    if answer in CONFIRMATIONS:
        appointment.confirmation = CONFIRMATIONS[answer]
        appointment.confirmed_at = clock.now()
        session.add(appointment)
    engagement.record(
        session,
        clock,
        person.id,
        "reminder_reply",
        {"answer": answer},
        appointment_id=appointment_id,
    )


def record_incoming(session: Session, clock: Clock, person: Person, incoming: Incoming) -> None:
    """Count that the person wrote or tapped; never what they wrote."""
    assert person.id is not None
    detail = {"command": incoming.command} if incoming.kind is Kind.COMMAND else {}
    engagement.record(session, clock, person.id, f"in_{incoming.kind}", detail)


def mark_unreachable(session: Session, clock: Clock, chat: ChatRef) -> bool:
    """Telegram refused a send (blocked): flag the link and tell the coach, once."""
    link = invites.link_for_chat(session, chat.channel, chat.chat_id)
    if link is None or link.unreachable_at is not None:
        return False
    link.unreachable_at = clock.now()
    session.add(link)
    if link.person_id is not None:
        person = session.get(Person, link.person_id)
        assert person is not None
        alerts.raise_alert(session, clock, person, "unreachable")
    return True
