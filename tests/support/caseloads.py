"""Two coaches' caseloads for the dashboard's people pages: Sam is the coach's (Priya's)
and assigned to the IOM staff member; Alex is another coach's; Kim is Priya's but not
assigned to anyone."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement
from sqlmodel import SQLModel, col, select

from bot.composition import Waymark
from bot.models import Account, AuditEntry, Person, Role
from bot.services import accounts
from bot.storage import committed
from tests.support import world
from tests.support.web import ROLE_EMAILS

OTHER_COACH = "other@waymark.test"
SAM, ALEX, KIM = "IOM-0001", "IOM-0002", "IOM-0003"

M = TypeVar("M", bound=SQLModel)


def two_caseloads(app: Waymark) -> None:
    world.add_coach(app, OTHER_COACH, "Olu")
    world.add_person(app, SAM, "Sam")
    world.add_person(app, ALEX, "Alex", coach=OTHER_COACH)
    world.add_person(app, KIM, "Kim")
    staff = account_id(app, ROLE_EMAILS[Role.STAFF])
    with committed(app.uow) as uow:
        accounts.assign(uow, app.clock, staff, person_id(app, SAM))


def account_id(app: Waymark, email: str) -> int:
    with committed(app.uow) as uow:
        row = uow.session.exec(select(Account).where(Account.email == email)).one()
        assert row.id is not None
        return row.id


def person_id(app: Waymark, ref: str) -> int:
    found = world.person(app, ref).id
    assert found is not None
    return found


def rows(app: Waymark, model: type[M], *where: ColumnElement[bool] | bool) -> list[M]:
    with committed(app.uow) as uow:
        return list(uow.session.exec(select(model).where(*where)).all())


def audit_of(app: Waymark, ref: str) -> list[tuple[str, str]]:
    """(action, subject) of the dashboard's audit entries about one person, oldest first.
    The set-up's own changes (world.add_appointment, as the command line) are left out."""
    with committed(app.uow) as uow:
        query = (
            select(AuditEntry.action, AuditEntry.subject)
            .join(Person, col(Person.id) == col(AuditEntry.person_id))
            .where(Person.ref == ref, AuditEntry.via == "web")
            .order_by(col(AuditEntry.id))
        )
        return [(action, subject) for action, subject in uow.session.exec(query).all()]
