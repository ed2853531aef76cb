"""Reports on every database, over a small world whose figures are known: exact counts,
small numbers hidden, scopes that limit, London months across the clock change, and an
event export that names nobody."""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.domain.localtime import at_local
from bot.models import (
    Account,
    Appointment,
    ChannelLink,
    Confirmation,
    EngagementEvent,
    Format,
    Need,
    NeedCategory,
    Outcome,
    Person,
    Role,
    StaffAssignment,
)
from bot.services.reports import (
    REPORTS,
    Period,
    Report,
    Scope,
    attendance_by_month,
    by_format,
    by_need,
    confirmation_and_reply,
    need_by_borough,
    pseudonym,
    pseudonymised_events,
    response_time,
)
from bot.storage import UnitOfWork
from tests.support.database import ON_EVERY_DATABASE
from web import charts

pytestmark = ON_EVERY_DATABASE

PERIOD = Period(date(2026, 3, 1), date(2026, 4, 30))
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
KEY, OTHER_KEY = b"evaluation-key-one-0123456789", b"evaluation-key-two-0123456789"
H = None  # a hidden cell, in the expected rows
# Minutes from the reminder to the answer, for each answered appointment of Sam's.
COMING_MARCH = (1, 1, 2, 2, 3, 4)
OTHER_APRIL = (10, 12, 15, 20, 25, 60, 900)
COMING_APRIL = (6, 7, 8, 9, 40)


@dataclass
class World:
    coach_a: int
    coach_b: int
    staff: int
    sam: int  # coach A, Southwark, words, ADHD and dyslexia
    kit: int  # coach B, Camden, voice, autism


def _add(session: Session, row: Any) -> int:
    session.add(row)
    session.flush()
    assert row.id is not None
    return int(row.id)


def _account(session: Session, email: str, role: Role = Role.COACH) -> int:
    return _add(session, Account(email=email, name="Account", role=role, created_at=CREATED))


def _person(session: Session, ref: str, borough: str, coach: int, format_: Format) -> int:
    person = Person(
        ref=ref,
        preferred_name="Zebedee",
        borough=borough,
        coach_id=coach,
        format=format_,
        created_at=CREATED,
    )
    return _add(session, person)


def _need(session: Session, person: int, category: NeedCategory, coach: int, **at: Any) -> None:
    recorded_at = at.get("recorded_at", CREATED)
    session.add(
        Need(
            person_id=person,
            category=category,
            recorded_at=recorded_at,
            recorded_by=coach,
            removed_at=at.get("removed_at"),
        )
    )


def _event(session: Session, person: int, kind: str, at: datetime, **rest: Any) -> None:
    session.add(EngagementEvent(person_id=person, kind=kind, at=at, **rest))


def _appointment(
    session: Session,
    person: int,
    starts_at: datetime,
    outcome: Outcome | None,
    *,
    sent: bool = False,
    answer: str | None = None,
    minutes: float = 0,
) -> int:
    """An appointment; with `sent`, reminders 30 and 24 hours before (and an hour before,
    after any answer); with `answer`, the answer `minutes` after the 24-hour one."""
    confirmation = Confirmation(answer) if answer in {c.value for c in Confirmation} else None
    appointment_id = _add(
        session,
        Appointment(
            person_id=person,
            starts_at=starts_at,
            outcome=outcome,
            confirmation=confirmation,
            place="Camberwell Office",
            with_whom="Jo",
            created_at=CREATED,
        ),
    )
    if sent:
        for hours in (30, 24, 1):
            detail = {"kind": "reminder", "slot": f"lead-{hours}h"}
            at = starts_at - timedelta(hours=hours)
            _event(
                session, person, "message_sent", at, appointment_id=appointment_id, detail=detail
            )
    if answer:
        at = starts_at - timedelta(hours=24) + timedelta(minutes=minutes)
        detail = {"answer": answer}
        _event(session, person, "reminder_reply", at, appointment_id=appointment_id, detail=detail)
    return appointment_id


def _answered(
    session: Session, person: int, starts_at: datetime, outcome: Outcome, answer: str, minutes: int
) -> None:
    _appointment(session, person, starts_at, outcome, sent=True, answer=answer, minutes=minutes)


def _day(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return at_local(date(2026, month, day), time(hour, minute))


@pytest.fixture
def world(engine: Engine) -> World:
    with UnitOfWork(engine) as uow:
        s = uow.session
        coach_a, coach_b = _account(s, "a@waymark.test"), _account(s, "b@waymark.test")
        staff = _account(s, "staff@waymark.test", Role.STAFF)
        sam = _person(s, "IOM-SAM", "Southwark", coach_a, Format.WORDS)
        kit = _person(s, "IOM-KIT", "Camden", coach_b, Format.VOICE)
        s.add(StaffAssignment(account_id=staff, person_id=sam, created_at=CREATED))
        s.add(
            ChannelLink(channel="telegram", chat_id="987654321", person_id=sam, linked_at=CREATED)
        )
        _need(s, sam, NeedCategory.ADHD, coach_a)
        _need(s, sam, NeedCategory.DYSLEXIA, coach_a)
        _need(s, sam, NeedCategory.AUTISM, coach_a, recorded_at=datetime(2026, 7, 1, tzinfo=UTC))
        _need(s, kit, NeedCategory.AUTISM, coach_b)
        _need(s, kit, NeedCategory.TICS, coach_b, removed_at=datetime(2026, 4, 2, tzinfo=UTC))
        for i in range(5):  # people with no appointments, for the need table
            for borough, coach in (("Southwark", coach_a), ("Camden", coach_b)):
                other = _person(s, f"IOM-{borough[:3].upper()}{i}", borough, coach, Format.WORDS)
                _need(s, other, NeedCategory.DYSLEXIA, coach)

        # Sam, March: 6 attended after saying "coming", 5 missed without answering, and
        # 1 rescheduled. March 29 is the clock change; the 30th is in summer time.
        for day, minutes in zip((2, 4, 9, 11, 16, 30), COMING_MARCH, strict=True):
            _answered(s, sam, _day(3, day), Outcome.ATTENDED, "coming", minutes)
        for day in (3, 5, 10, 12, 17):
            _appointment(s, sam, _day(3, day), Outcome.MISSED, sent=True)
        _appointment(s, sam, _day(3, 18), Outcome.RESCHEDULED)
        # Sam, April: 7 attended after another answer (the first at 00:30 on 1 April,
        # summer time: 23:30 on 31 March in UTC, but April in London); 5 missed after
        # saying "coming".
        april_days = [(1, 0, 30)] + [(day, 10, 0) for day in (7, 8, 9, 14, 15, 16)]
        for (day, hour, minute), minutes in zip(april_days, OTHER_APRIL, strict=True):
            answer = "directions" if day == 16 else "late"
            _answered(s, sam, _day(4, day, hour, minute), Outcome.ATTENDED, answer, minutes)
        for day, minutes in zip((20, 21, 22, 23, 24), COMING_APRIL, strict=True):
            _answered(s, sam, _day(4, day), Outcome.MISSED, "coming", minutes)
        # Kit, March: 5 attended, no reminders (a message after the start is no reminder).
        for day in (2, 3, 4, 5, 6):
            appointment_id = _appointment(s, kit, _day(3, day), Outcome.ATTENDED)
            after = _day(3, day) + timedelta(hours=2)
            _event(
                s, kit, "message_sent", after, appointment_id=appointment_id, detail={"kind": "x"}
            )
        # Outside the period, either side, in London: 28 February and 1 May, 00:30.
        _appointment(s, sam, _day(2, 28, 23, 30), Outcome.ATTENDED)
        _appointment(s, sam, _day(5, 1, 0, 30), Outcome.ATTENDED)
        # Not counted: no outcome yet, or cancelled.
        _appointment(s, sam, _day(4, 28), None)
        # Things people did, with detail that must not leave in an export.
        _event(s, sam, "in_text", _day(4, 1, 0, 10), detail={"text": "I am Zebedee"})
        _event(s, sam, "mood", _day(3, 20), detail={"colour": "green"})
        _event(s, kit, "checkin", _day(3, 21), detail={"answer": "My name is Kit Zebedee"})
        uow.commit()
    return World(coach_a, coach_b, staff, sam, kit)


def _values(report: Report) -> list[tuple[Any, ...]]:
    """Rows as plain values: None for a hidden cell, rates rounded to 4 places."""
    rows = []
    for row in report.rows:
        values: list[Any] = []
        for cell in row:
            if cell.suppressed:
                assert cell.value is None
                values.append(H)
            elif isinstance(cell.value, float):
                values.append(round(cell.value, 4))
            else:
                values.append(cell.value)
        rows.append(tuple(values))
    return rows


def _build(engine: Engine, report: Any, scope: Scope | None = None) -> Report:
    with Session(engine) as session:
        built: Report = report(session, scope or Scope.everyone(), PERIOD)
    return built


def test_attendance_by_month_counts_london_months(engine: Engine, world: World) -> None:
    report = _build(engine, attendance_by_month)
    assert report.headings == ("Month", "Attended", "Missed", "Rescheduled", "Attendance rate")
    assert _values(report) == [
        ("March 2026", 11, 5, H, round(11 / 16, 4)),  # Sam's 6 and Kit's 5
        ("April 2026", 7, 5, H, round(7 / 12, 4)),  # with 00:30 on 1 April (BST)
    ]


def test_scope_limits_to_a_coach_or_a_staff_members_people(engine: Engine, world: World) -> None:
    sams = [("March 2026", 6, 5, H, round(6 / 11, 4)), ("April 2026", 7, 5, H, round(7 / 12, 4))]
    assert _values(_build(engine, attendance_by_month, Scope.caseload(world.coach_a))) == sams
    assert _values(_build(engine, attendance_by_month, Scope.assigned_to(world.staff))) == sams
    assert _values(_build(engine, attendance_by_month, Scope.people({world.sam}))) == sams
    # Kit alone: 5 attended in March, 0 in April. The 0 is hidden, and with it the 5,
    # as a total of attended from another scope or report would give it back.
    kits = _values(_build(engine, attendance_by_month, Scope.caseload(world.coach_b)))
    assert kits == [("March 2026", H, H, H, H), ("April 2026", H, H, H, H)]
    nobody = _values(_build(engine, attendance_by_month, Scope.assigned_to(world.coach_a)))
    assert nobody == [("March 2026", H, H, H, H), ("April 2026", H, H, H, H)]


def test_confirmation_and_reply_against_attendance(engine: Engine, world: World) -> None:
    assert _values(_build(engine, confirmation_and_reply)) == [
        ("Said they were coming", 6, 5, round(6 / 11, 4)),
        ("Answered another way", 7, H, H),  # 7 of 7: what it leaves out (0) is small
        ("Did not answer", H, 5, H),
        ("No reminder was sent", H, H, H),  # Kit's 5 go with the 0 above them
    ]


def test_attendance_and_reply_rate_by_format(engine: Engine, world: World) -> None:
    assert _values(_build(engine, by_format)) == [
        ("Words", 13, 10, round(13 / 23, 4), 18, 5, round(18 / 23, 4)),
        ("Pictures", H, H, H, H, H, H),
        ("Voice", H, H, H, H, H, H),  # 5 attended, hidden with the pictures' 0
    ]


def test_attendance_and_reply_rate_by_need(engine: Engine, world: World) -> None:
    report = _build(engine, by_need)
    rows = {row[0]: row[1:] for row in _values(report)}
    sams = (13, 10, round(13 / 23, 4), 18, 5, round(18 / 23, 4))
    assert rows["ADHD"] == rows["Dyslexia"] == sams
    # Kit's autism counts; Sam's, recorded after the period, and Kit's tics, removed
    # before its end, do not.
    assert rows["Autism"] == (5, H, H, H, H, H)
    assert rows["Tics"] == rows["No need recorded"] == (H, H, H, H, H, H)
    assert len(rows) == 10


def test_need_by_category_and_borough(engine: Engine, world: World) -> None:
    report = _build(engine, need_by_borough)
    assert report.headings[:4] == ("Borough", "Dyslexia", "ADHD", "Autism")
    assert _values(report) == [("Camden", 5, *[H] * 8), ("Southwark", 6, *[H] * 8)]
    kits = _values(_build(engine, need_by_borough, Scope.caseload(world.coach_b)))
    assert kits == [("Camden", 5, *[H] * 8)]


def test_response_time_from_the_last_reminder_before_the_first_answer(
    engine: Engine, world: World
) -> None:
    report = _build(engine, response_time)
    answers = sorted(COMING_MARCH + OTHER_APRIL + COMING_APRIL)
    quartiles = statistics.quantiles(answers, n=4, method="inclusive")
    assert quartiles == [3.25, 8.5, 18.75]
    words = report.rows[0]
    assert [cell.value for cell in words[1:4]] == pytest.approx(quartiles, abs=0.01)
    # Buckets: under 5 minutes 6; 5 to 30 minutes 9; 30 minutes to 2 hours 2 (hidden);
    # 2 to 12 hours 0 (hidden); 12 hours or more 1 (hidden).
    assert _values(report)[0][4:] == (6, 9, H, H, H)
    assert _values(report)[1:] == [("Pictures", *[H] * 8), ("Voice", *[H] * 8)]


def test_every_report_draws_a_chart(engine: Engine, world: World) -> None:
    for build in REPORTS.values():
        svg = charts.render(_build(engine, build))
        root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
        assert "<script" not in svg


def _export(engine: Engine, key: bytes, scope: Scope | None = None) -> list[dict[str, str]]:
    with Session(engine) as session:
        text = "".join(pseudonymised_events(session, scope or Scope.everyone(), PERIOD, key))
    return list(csv.DictReader(io.StringIO(text)))


def test_the_event_export_names_nobody(engine: Engine, world: World) -> None:
    with Session(engine) as session:
        text = "".join(pseudonymised_events(session, Scope.everyone(), PERIOD, KEY))
    for secret in ("IOM-SAM", "IOM-KIT", "Zebedee", "Kit", "987654321", "evaluation-key"):
        assert secret not in text
    rows = _export(engine, KEY)
    assert list(rows[0]) == [
        "person",
        "borough",
        "format",
        "needs",
        "event",
        "detail",
        "appointment",
        "outcome",
        "date",
    ]
    sams = [row for row in rows if row["person"] == pseudonym(KEY, "person", world.sam)]
    assert {row["borough"] for row in sams} == {"Southwark"}
    assert {row["needs"] for row in sams} == {"adhd;dyslexia"}
    # 23 appointments with three reminders each, 18 answers, the in_text and the mood.
    assert len(sams) == 23 * 3 + 18 + 2
    assert {row["detail"] for row in sams if row["event"] == "reminder_reply"} == {
        "coming",
        "late",
        "directions",
    }
    assert [row["detail"] for row in sams if row["event"] == "in_text"] == [""]
    # 00:10 on 1 April in London (23:10 UTC on 31 March) is dated 1 April.
    assert [row["date"] for row in sams if row["event"] == "in_text"] == ["2026-04-01"]
    kits = [row for row in rows if row["person"] == pseudonym(KEY, "person", world.kit)]
    assert [row["detail"] for row in kits if row["event"] == "checkin"] == [""]
    assert {row["needs"] for row in kits} == {"autism"}


def test_pseudonyms_hold_for_one_key_and_differ_for_another(engine: Engine, world: World) -> None:
    one, again, other = _export(engine, KEY), _export(engine, KEY), _export(engine, OTHER_KEY)
    people = {row["person"] for row in one}
    assert len(people) == 2
    assert people == {row["person"] for row in again}
    assert people.isdisjoint({row["person"] for row in other})
    appointments = {row["appointment"] for row in one} - {""}
    assert appointments.isdisjoint({row["appointment"] for row in other})


def test_the_export_keeps_to_its_scope_and_wants_a_real_key(engine: Engine, world: World) -> None:
    rows = _export(engine, KEY, Scope.caseload(world.coach_b))
    assert {row["person"] for row in rows} == {pseudonym(KEY, "person", world.kit)}
    with Session(engine) as session, pytest.raises(ValueError, match="at least 16 bytes"):
        next(pseudonymised_events(session, Scope.everyone(), PERIOD, b"short"))
