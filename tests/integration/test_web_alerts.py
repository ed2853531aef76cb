"""The alerts inbox: a coach's own people only, urgent first then newest, acknowledged
ones kept in a second list; another coach's alert is not found."""

from __future__ import annotations

import pytest

from bot.composition import Waymark
from bot.models import Alert, AuditEntry, Role
from bot.services import alerts
from bot.storage import committed
from tests.support import world
from tests.support.caseloads import ALEX, KIM, SAM, audit_of, rows, two_caseloads
from tests.support.fakes import FixedClock
from tests.support.web import Site


def _raise(app: Waymark, ref: str, kind: str, detail: str = "", urgent: bool = False) -> int:
    person = world.person(app, ref)
    with committed(app.uow) as uow:
        alert = alerts.raise_alert(uow.session, app.clock, person, kind, detail, urgent=urgent)
        uow.commit()
        assert alert.id is not None
        return alert.id


@pytest.fixture
async def coach(site: Site, site_waymark: Waymark) -> Site:
    two_caseloads(site_waymark)
    await site.login_as(Role.COACH)
    return site


async def test_the_inbox_shows_own_alerts_urgent_first_then_newest(
    coach: Site, site_waymark: Waymark, clock: FixedClock
) -> None:
    _raise(site_waymark, SAM, "late")
    clock.advance(minutes=5)
    _raise(site_waymark, KIM, "cant_come")
    _raise(site_waymark, ALEX, "lost", "Alex's words")  # another coach's person
    clock.advance(minutes=5)
    _raise(site_waymark, SAM, "message", "Can we talk")
    clock.advance(minutes=5)
    urgent = _raise(site_waymark, KIM, "crisis", urgent=True)
    clock.advance(minutes=5)
    page = await coach.get("/alerts")
    assert page.status_code == 200
    assert ALEX not in page.text
    assert "Alex&#39;s words" not in page.text
    text = page.text
    order = [
        text.index("Wrote words that may mean danger"),  # urgent, though not the newest
        text.index("Sent a message"),
        text.index("Cannot come"),
        text.index("Running late"),
    ]
    assert order == sorted(order)
    assert f'action="/alerts/{urgent}/acknowledge"' in text
    assert 'href="/people/IOM-0003"' in text
    assert "Can we talk" in text
    assert ("view", "alerts") in [(e.action, e.subject) for e in rows(site_waymark, AuditEntry)]


async def test_acknowledging_moves_an_alert_to_the_second_list(
    coach: Site, site_waymark: Waymark
) -> None:
    alert_id = _raise(site_waymark, SAM, "late")
    response = await coach.post(f"/alerts/{alert_id}/acknowledge")
    assert response.status_code == 303
    assert response.headers["location"] == "/alerts"
    [alert] = rows(site_waymark, Alert)
    assert alert.acknowledged_at is not None
    assert alert.acknowledged_by is not None
    page = await coach.get("/alerts")
    assert "Alert acknowledged" in page.text
    assert "No open alerts." in page.text
    assert "Acknowledged</caption>" in page.text
    assert "Running late" in page.text
    assert ("change", f"alert {alert_id}") in audit_of(site_waymark, SAM)
    caseload = await coach.get("/people")
    assert "open alerts for IOM-0001" not in caseload.text


async def test_another_coachs_alert_is_not_found_and_stays_open(
    coach: Site, site_waymark: Waymark
) -> None:
    theirs = _raise(site_waymark, ALEX, "late")
    assert (await coach.post(f"/alerts/{theirs}/acknowledge")).status_code == 404
    assert (await coach.post("/alerts/9999/acknowledge")).status_code == 404
    assert rows(site_waymark, Alert)[0].acknowledged_at is None
    assert not rows(site_waymark, AuditEntry, AuditEntry.action == "change")
