"""Alerts: what a coach must see at once. Each also goes to the coach's linked chat."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.domain.clock import Clock
from bot.domain.errors import NotFound
from bot.models import Account, Alert, Person
from bot.services import outbox
from bot.storage import UnitOfWork


def raise_alert(
    session: Session,
    clock: Clock,
    person: Person,
    kind: str,
    detail: str = "",
    *,
    urgent: bool = False,
) -> Alert:
    alert = Alert(
        person_id=person.id,
        coach_id=person.coach_id,
        kind=kind,
        detail=detail,
        urgent=urgent,
        created_at=clock.now(),
    )
    session.add(alert)
    session.flush()
    # Only the case reference travels to the coach's phone: never the name or words.
    outbox.enqueue(
        session,
        key=f"alert:{alert.id}",
        kind="coach_alert",
        content_key="coach_alert",
        due_at=clock.now(),
        created_at=clock.now(),
        coach_id=person.coach_id,
        variables={"ref": person.ref, "kind": kind, "detail": detail},
    )
    return alert


def open_alerts(session: Session) -> list[tuple[Alert, str]]:
    """Open alerts, newest first, with the person's reference."""
    rows = session.exec(
        select(Alert, Person.ref)
        .join(Person, col(Person.id) == col(Alert.person_id))
        .where(col(Alert.acknowledged_at).is_(None))
        .order_by(col(Alert.created_at).desc(), col(Alert.id).desc())
    ).all()
    return [(alert, ref) for alert, ref in rows]


def coach_of(session: Session, person: Person) -> Account:
    coach = session.get(Account, person.coach_id)
    assert coach is not None
    return coach


@dataclass(frozen=True)
class AlertLine:
    alert: Alert
    ref: str


def for_coach(session: Session, coach_id: int, limit: int = 200) -> list[AlertLine]:
    """Alerts about the coach's own people: open ones first, urgent first, newest first;
    then acknowledged ones, newest first."""
    query = (
        select(Alert, Person.ref)
        .join(Person, col(Person.id) == col(Alert.person_id))
        .where(Person.coach_id == coach_id)
        .order_by(
            col(Alert.acknowledged_at).is_not(None),
            col(Alert.urgent).desc(),
            col(Alert.created_at).desc(),
            col(Alert.id).desc(),
        )
        .limit(limit)
    )
    return [AlertLine(alert, ref) for alert, ref in session.exec(query).all()]


def own_alert(session: Session, alert_id: int, coach_id: int) -> Alert:
    """The alert, if it is about one of this coach's people; otherwise not found."""
    alert = session.get(Alert, alert_id)
    person = (
        None if alert is None or alert.person_id is None else session.get(Person, alert.person_id)
    )
    if alert is None or person is None or person.coach_id != coach_id:
        raise NotFound(f"no alert {alert_id}")
    return alert


def acknowledge(uow: UnitOfWork, clock: Clock, alert_id: int, coach_id: int) -> Alert:
    """The coach has seen it (acknowledging twice keeps the first time)."""
    alert = own_alert(uow.session, alert_id, coach_id)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = clock.now()
        alert.acknowledged_by = coach_id
        uow.session.add(alert)
    uow.flush()
    return alert
