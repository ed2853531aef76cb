"""Alerts: what a coach must see at once. Each also goes to the coach's linked chat."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.clock import Clock
from bot.models import Alert, Coach, Person
from bot.services import outbox


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


def coach_of(session: Session, person: Person) -> Coach:
    coach = session.get(Coach, person.coach_id)
    assert coach is not None
    return coach
