"""Things named by id (an appointment, a goal, a nudge, an alert), if the account may touch them for
this purpose. The role is checked first (403, which says nothing about any person); then
a thing of someone outside the account's own people is a 404 in the same words as one
that does not exist."""

from __future__ import annotations

from sqlmodel import Session

from bot.domain.errors import NotFound
from bot.models import Account, Alert, Appointment, Goal, Nudge, Person
from bot.services import alerts, appointments, nudges, plans
from web.policy import Can, need, own_people


def _owner(session: Session, account: Account, person_id: int, missing: str) -> Person:
    person = session.get(Person, person_id)
    if person is None or person_id not in own_people(session, account):
        raise NotFound(missing)
    return person


def appointment_for(
    session: Session, account: Account, appointment_id: int, permission: Can
) -> tuple[Appointment, Person]:
    need(account, permission)
    missing = f"no appointment with the id {appointment_id}"
    try:
        found = appointments.get(session, appointment_id)
    except NotFound:
        raise NotFound(missing) from None
    return found, _owner(session, account, found.person_id, missing)


def goal_for(session: Session, account: Account, goal_id: int, permission: Can) -> Goal:
    need(account, permission)
    missing = f"no goal with the id {goal_id}"
    try:
        found = plans.goal(session, goal_id)
    except NotFound:
        raise NotFound(missing) from None
    _owner(session, account, found.person_id, missing)
    return found


def nudge_for(
    session: Session, account: Account, nudge_id: int, permission: Can
) -> tuple[Nudge, Person]:
    need(account, permission)
    missing = f"no nudge with the id {nudge_id}"
    try:
        found = nudges.get(session, nudge_id)
    except NotFound:
        raise NotFound(missing) from None
    return found, _owner(session, account, found.person_id, missing)


def alert_for(session: Session, account: Account, alert_id: int) -> tuple[Alert, Person]:
    """An alert about one of the coach's own people."""
    need(account, Can.ALERTS)
    assert account.id is not None
    found = alerts.own_alert(session, alert_id, account.id)
    assert found.person_id is not None  # own_alert finds only alerts about a person
    return found, _owner(session, account, found.person_id, f"no alert {alert_id}")
