"""The consent history: what each person agreed to, declined or withdrew, when and how.

Rows are only added (bot/models/consent.py); what stands for a purpose is its newest row.
The person's own choices come from the chat (onboarding, /stop, "delete my data", /start,
the "About me" question on sharing); a coach records what the person told them on the
dashboard, and an admin can on the command line.

The evaluation (reports and the pseudonymised export) leaves out everyone who declined or
withdrew, whichever purpose: the service itself or the evaluation (`left_out`), unless the
setting WAYMARK_EVALUATION_LEAVES_OUT is off.

Services never commit: the entry point commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from bot.domain.clock import Clock
from bot.domain.errors import Invalid
from bot.models import Account, Consent, ConsentEvent, Decision, Person, Purpose, Via
from bot.services import audit
from bot.services.reports.model import Scope

PURPOSE_NAMES = {
    Purpose.SERVICE: "Waymark's messages",
    Purpose.PASSPORT: "Sharing their About me with IOM staff",
    Purpose.EVALUATION: "Being counted in the evaluation",
}
DECISION_NAMES = {
    Decision.GIVEN: "Given",
    Decision.DECLINED: "Declined",
    Decision.WITHDRAWN: "Withdrawn",
}
VIA_NAMES = {Via.BOT: "in the chat", Via.DASHBOARD: "on the dashboard", Via.CLI: "command line"}
NOT_GIVEN = (Decision.DECLINED, Decision.WITHDRAWN)


def record(
    session: Session,
    clock: Clock,
    person: Person,
    purpose: Purpose,
    decision: Decision,
    *,
    via: Via,
    account_id: int | None = None,
    wording_version: str | None = None,
) -> ConsentEvent:
    assert person.id is not None
    event = ConsentEvent(
        person_id=person.id,
        purpose=purpose,
        decision=decision,
        via=via,
        account_id=account_id,
        wording_version=wording_version,
        at=clock.now(),
    )
    session.add(event)
    if account_id is not None:  # the person's own choices are theirs; staff's are audited
        subject = f"consent {purpose.value} {decision.value}"
        audit.record(
            session, clock, account_id, "consent", subject, person_id=person.id, via=via.value
        )
    return event


def parse(purpose: str, decision: str) -> tuple[Purpose, Decision]:
    """A purpose and a decision from a form or the command line, or Invalid."""
    try:
        return Purpose(purpose.strip().lower()), Decision(decision.strip().lower())
    except ValueError:
        purposes = ", ".join(p.value for p in Purpose)
        decisions = ", ".join(d.value for d in Decision)
        raise Invalid(
            f"Choose what the consent is for ({purposes}) and what they said ({decisions})"
        ) from None


def current(session: Session, person_id: int, purpose: Purpose) -> Decision | None:
    """What stands for this purpose: the newest decision, or None when never asked."""
    row = session.exec(
        select(ConsentEvent)
        .where(ConsentEvent.person_id == person_id, ConsentEvent.purpose == purpose)
        .order_by(col(ConsentEvent.id).desc())
        .limit(1)
    ).first()
    return None if row is None else Decision(row.decision)


def shares_passport(session: Session, person_id: int) -> bool:
    return current(session, person_id, Purpose.PASSPORT) == Decision.GIVEN


@dataclass(frozen=True)
class Line:
    at: datetime
    purpose: str
    decision: str
    how: str
    wording_version: str | None


def history(session: Session, person_id: int) -> list[Line]:
    """Every consent event of the person, newest first, in words a coach reads."""
    rows = session.exec(
        select(ConsentEvent, Account.name)
        .outerjoin(Account, col(Account.id) == col(ConsentEvent.account_id))
        .where(ConsentEvent.person_id == person_id)
        .order_by(col(ConsentEvent.id).desc())
    ).all()
    return [
        Line(
            event.at,
            PURPOSE_NAMES[Purpose(event.purpose)],
            DECISION_NAMES[Decision(event.decision)],
            _how(Via(event.via), name),
            event.wording_version,
        )
        for event, name in rows
    ]


def _how(via: Via, account: str | None) -> str:
    if account is None:
        return f"By them, {VIA_NAMES[via]}" if via is Via.BOT else VIA_NAMES[via].capitalize()
    return f"By {account}, {VIA_NAMES[via]}"


def left_out(session: Session) -> frozenset[int]:
    """The people the evaluation leaves out: their newest word on the service or on the
    evaluation is declined or withdrawn, or they said no at onboarding."""
    purposes = (Purpose.SERVICE, Purpose.EVALUATION)
    newest = (
        select(func.max(ConsentEvent.id))
        .where(col(ConsentEvent.purpose).in_(purposes))
        .group_by(col(ConsentEvent.person_id), col(ConsentEvent.purpose))
    )
    said_no = session.exec(
        select(ConsentEvent.person_id)
        .where(col(ConsentEvent.id).in_(newest))
        .where(col(ConsentEvent.decision).in_(NOT_GIVEN))
    ).all()
    declined = session.exec(select(Person.id).where(Person.consent == Consent.DECLINED)).all()
    return frozenset({*said_no, *(i for i in declined if i is not None)})


def evaluation_scope(session: Session, scope: Scope, *, leave_out: bool) -> tuple[Scope, int]:
    """The scope a report or the export counts, without the people who declined or
    withdrew (when the setting says so), and how many of the scope's people that left out."""
    if not leave_out:
        return scope, 0
    gone = left_out(session)
    if not gone:
        return scope, 0
    inside = session.exec(
        select(func.count())
        .select_from(Person)
        .where(scope.covers(col(Person.id)))
        .where(col(Person.id).in_(sorted(gone)))
    ).one()
    return scope.without(gone), int(inside)


def left_out_note(count: int) -> str:
    """What a report or export says about the people it leaves out."""
    if count == 0:
        return ""
    people = "1 person" if count == 1 else f"{count} people"
    return f"{people} left out: they declined or withdrew their consent."


def forget(session: Session, person_id: int, counts: dict[str, int]) -> None:
    """Erasure: the history goes with the person (the audit trail keeps that it happened)."""
    gone = session.exec(delete(ConsentEvent).where(col(ConsentEvent.person_id) == person_id))
    counts["consent_event"] = gone.rowcount or 0
