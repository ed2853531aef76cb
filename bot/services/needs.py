"""Needs recorded from screening, as categories: what a coach noted, when, and who noted
it. Not a diagnosis. A need is never deleted, only marked removed, so a report of an
earlier period reads the records as they stood then."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain.actor import Actor
from bot.domain.clock import Clock
from bot.domain.errors import Duplicate, Invalid, NotFound
from bot.models import NEED_LABELS, Account, Need, NeedCategory
from bot.services import audit
from bot.storage import UnitOfWork


@dataclass(frozen=True)
class NeedLine:
    id: int
    category: NeedCategory
    label: str
    recorded_at: datetime
    recorded_by: str  # the account's name


def category(value: str) -> NeedCategory:
    try:
        return NeedCategory(value.strip().lower())
    except ValueError:
        names = ", ".join(c.value for c in NeedCategory)
        raise Invalid(f"{value!r} is not a category of need; use one of {names}") from None


def _current(session: Session, person_id: int) -> list[Need]:
    query = (
        select(Need)
        .where(Need.person_id == person_id)
        .where(col(Need.removed_at).is_(None))
        .order_by(col(Need.recorded_at), col(Need.id))
    )
    return list(session.exec(query).all())


def current(session: Session, person_id: int) -> list[NeedLine]:
    """The person's needs as recorded now, oldest first, with who recorded each."""
    query = (
        select(Need, Account.name)
        .join(Account, col(Account.id) == col(Need.recorded_by))
        .where(Need.person_id == person_id)
        .where(col(Need.removed_at).is_(None))
        .order_by(col(Need.recorded_at), col(Need.id))
    )
    return [
        NeedLine(need.id or 0, need.category, NEED_LABELS[need.category], need.recorded_at, name)
        for need, name in session.exec(query).all()
    ]


def record(
    uow: UnitOfWork, clock: Clock, person_id: int, value: str, account_id: int, *, actor: Actor
) -> Need:
    """Note a category of need for the person; the same category twice is refused."""
    chosen = category(value)
    session = uow.session
    if any(need.category == chosen for need in _current(session, person_id)):
        raise Duplicate(f"{NEED_LABELS[chosen]} is recorded already")
    need = Need(
        person_id=person_id, category=chosen, recorded_at=clock.now(), recorded_by=account_id
    )
    session.add(need)
    audit.by(session, clock, actor, "change", "needs", person_id=person_id)
    uow.flush()
    return need


def remove(uow: UnitOfWork, clock: Clock, person_id: int, need_id: int, *, actor: Actor) -> Need:
    """Mark one of the person's needs removed (a need of anyone else is not found)."""
    need = uow.session.get(Need, need_id)
    if need is None or need.person_id != person_id or need.removed_at is not None:
        raise NotFound(f"no need {need_id} recorded for this person")
    need.removed_at = clock.now()
    uow.session.add(need)
    audit.by(uow.session, clock, actor, "change", f"need {need_id}", person_id=person_id)
    uow.flush()
    return need
