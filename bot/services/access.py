"""Access, in one module for the pages, the API and the reports: what each role may do, in
one table (the role matrix test reads it too), and whether an account may see a person,
or a thing of theirs named by id (an appointment, a goal, a nudge, an alert).

A role without a permission gets 403: that says nothing about any person. A person
outside the account's own people (another coach's, or not assigned to this IOM staff
member) is a 404, exactly as if they did not exist. The role is checked first, so a 403
says nothing about any person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from bot.domain.errors import NotFound
from bot.models import Account, Alert, Appointment, Goal, Nudge, Person, Role, StaffAssignment
from bot.services import alerts, appointments, nudges, plans


class Can(StrEnum):
    CASELOAD = "caseload"  # list their own people (a coach's caseload, staff's assigned)
    SUMMARY = "summary"  # a person's attendance and engagement
    COACHING = "coaching"  # the whole person page: profile, needs, goals, nudges, timeline
    EDIT = "edit"  # change a person, their appointments, goals, nudges; invites
    OUTCOMES = "outcomes"  # record attended / missed / rescheduled
    WEBCHAT = "webchat"  # open a person's web chat
    ALERTS = "alerts"  # the alerts inbox
    CONTENT = "content"  # the content library and its editor
    REPORTS = "reports"  # aggregates (of their own people, or everyone's for managers)
    ALL_PEOPLE = "all-people"  # reports over every borough
    EXPORT = "export"  # the pseudonymised event export
    ACCOUNTS = "accounts"  # accounts, roles and assignments
    AUDIT = "audit"  # the audit trail
    CLOSE = "close"  # close a case when supervision ends, and reopen it
    ASK_EXPORT = "ask-export"  # ask an admin for a person's subject access export
    SUBJECT_ACCESS = "subject-access"  # make a person's export, erase a person
    RETENTION = "retention"  # the retention periods and the job's last run


ROLES: dict[Role, frozenset[Can]] = {
    Role.COACH: frozenset(
        {
            Can.CASELOAD,
            Can.SUMMARY,
            Can.COACHING,
            Can.EDIT,
            Can.OUTCOMES,
            Can.WEBCHAT,
            Can.ALERTS,
            Can.CONTENT,
            Can.REPORTS,
            Can.CLOSE,
            Can.ASK_EXPORT,
        }
    ),
    # Attendance and engagement of the people they manage; never the coaching itself.
    Role.STAFF: frozenset({Can.CASELOAD, Can.SUMMARY, Can.OUTCOMES, Can.REPORTS}),
    Role.MANAGER: frozenset({Can.REPORTS, Can.ALL_PEOPLE, Can.EXPORT, Can.CONTENT}),
    Role.ADMIN: frozenset({Can.ACCOUNTS, Can.AUDIT, Can.SUBJECT_ACCESS, Can.RETENTION}),
}

ROLE_NAMES = {
    Role.COACH: "Coach",
    Role.STAFF: "IOM staff",
    Role.MANAGER: "Manager",
    Role.ADMIN: "Admin",
}


class Forbidden(Exception):
    """The account's role does not allow this."""


def allows(account: Account, permission: Can) -> bool:
    return permission in ROLES[account.role]


def need(account: Account, permission: Can) -> None:
    if not allows(account, permission):
        raise Forbidden(permission.value)


@dataclass(frozen=True)
class Scope:
    """Whose data: everyone (None) or these people's ids."""

    person_ids: frozenset[int] | None

    def includes(self, person_id: int) -> bool:
        return self.person_ids is None or person_id in self.person_ids


def own_people(session: Session, account: Account) -> list[int]:
    if account.role == Role.COACH:  # a case pseudonymised after its retention is no one's
        query = select(Person.id).where(Person.coach_id == account.id)
        query = query.where(col(Person.pseudonymised_at).is_(None))
        return [i for i in session.exec(query).all() if i is not None]
    if account.role == Role.STAFF:
        query = select(StaffAssignment.person_id).where(StaffAssignment.account_id == account.id)
        return list(session.exec(query).all())
    return []


def scope_of(session: Session, account: Account) -> Scope:
    if allows(account, Can.ALL_PEOPLE):
        return Scope(None)
    return Scope(frozenset(own_people(session, account)))


def person_for(session: Session, account: Account, ref: str, permission: Can) -> Person:
    """The person with this reference, if the account may see them for this purpose."""
    need(account, permission)
    person = session.exec(select(Person).where(Person.ref == ref.strip().upper())).first()
    if person is None or person.id is None or person.id not in own_people(session, account):
        raise NotFound(f"no person with the reference {ref.strip().upper()!r}")
    return person


def people_of(session: Session, account: Account) -> list[Person]:
    ids = own_people(session, account)
    if not ids:
        return []
    query = select(Person).where(col(Person.id).in_(ids)).order_by(col(Person.ref))
    return list(session.exec(query).all())


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


def appointment_of(
    session: Session, account: Account, ref: str, appointment_id: int, permission: Can
) -> tuple[Appointment, Person]:
    """The appointment named in a page's address under a person's: the account may see
    the person, and the appointment is theirs."""
    person = person_for(session, account, ref, permission)
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.person_id != person.id:
        raise NotFound(f"no appointment {appointment_id} for {person.ref}")
    return appointment, person


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
    if account.id is None:
        raise NotFound(f"no alert {alert_id}")
    found = alerts.own_alert(session, alert_id, account.id)
    if found.person_id is None:  # own_alert finds only alerts about a person
        raise NotFound(f"no alert {alert_id}")
    return found, _owner(session, account, found.person_id, f"no alert {alert_id}")
