"""CSV: any report as a table, and engagement events pseudonymised for evaluators.

The event export names nobody. A person is a keyed HMAC-SHA256 of their id: the same
person gets the same pseudonym for one key, and without the key the pseudonyms cannot be
joined back to ids (nor to another export made with another key). The key is the
caller's, given for the export and never written into it. No case reference, name, chat
id or anything a person or coach typed goes out: an event's detail is reduced to one
short coded value from a fixed list of fields, and a time to its London day.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import logging
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from sqlalchemy import case, select
from sqlmodel import Session, col

from bot.domain.localtime import local
from bot.models import Appointment, EngagementEvent, Person
from bot.services.reports.model import Period, Report, Scope
from bot.services.reports.sql import active_needs

log = logging.getLogger(__name__)

MIN_KEY_BYTES = 16
PSEUDONYM_HEX = 32  # 128 bits of the HMAC: no two people share one in practice
EVENT_HEADINGS = (
    "person",
    "borough",
    "format",
    "needs",
    "event",
    "detail",
    "appointment",
    "outcome",
    "date",
)
# The one coded value kept from each kind of event's detail; anything else is dropped.
DETAIL_FIELD = {
    "message_sent": "kind",
    "reminder_reply": "answer",
    "practice_reminder": "answer",
    "checkin": "answer",
    "checkin_sure": "sure",
    "mood": "colour",
    "command": "command",
    "in_command": "command",
    "media_request": "format",
    "snooze": "choice",
    "onboarded": "format",
}
CODED = re.compile(r"[a-z0-9][a-z0-9_-]{0,29}")
BATCH = 2000


def report_csv(report: Report) -> str:
    """The report as CSV: its headings, then its rows, hidden cells written as "<5"."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(column.csv_heading for column in report.columns)
    for row in report.rows:
        writer.writerow(cell.csv for cell in row)
    return out.getvalue()


def pseudonym(key: bytes, kind: str, row_id: int) -> str:
    """A stable stand-in for a row id under one key."""
    digest = hmac.new(key, f"{kind}:{row_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_HEX]


def pseudonymised_events(
    session: Session, scope: Scope, period: Period, key: bytes
) -> Iterator[str]:
    """The engagement events of the period as CSV lines (headings first), one at a time,
    read from the database in batches. Consume it inside the unit of work."""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the pseudonym key must be at least {MIN_KEY_BYTES} bytes")
    people = _people(session, scope, period)
    event = EngagementEvent
    detail = col(event.detail)
    coded = case(  # the one field kept, read by the database: no JSON is parsed here
        *(
            (col(event.kind) == kind, detail[field].as_string())
            for kind, field in DETAIL_FIELD.items()
        ),
        else_=None,
    )
    query = (
        select(
            col(event.person_id),
            col(event.kind),
            coded,
            col(event.appointment_id),
            col(event.at),
            col(Appointment.outcome),
        )
        .outerjoin(Appointment, col(Appointment.id) == col(event.appointment_id))
        .where(col(event.at) >= period.start, col(event.at) < period.end)
        .where(scope.covers(col(event.person_id)))
        .order_by(col(event.at), col(event.id))
        .execution_options(yield_per=BATCH)
    )
    line = _Lines()
    people_names = _Pseudonyms(key, "person")
    appointment_names = _Pseudonyms(key, "appointment")
    yield line(EVENT_HEADINGS)
    written = 0
    for person_id, kind, value, appointment_id, at, outcome in session.execute(query):
        borough, format_, needs = people.get(person_id, ("", "", ""))
        yield line(
            (
                people_names[person_id],
                borough,
                format_,
                needs,
                kind,
                _coded(value),
                appointment_names[appointment_id] if appointment_id else "",
                outcome or "",
                local(at).date().isoformat(),
            )
        )
        written += 1
    log.info("events exported", extra={"rows": written})


class _Pseudonyms(dict[int, str]):
    """Pseudonyms of one kind of id under one key, each worked out once."""

    def __init__(self, key: bytes, kind: str) -> None:
        super().__init__()
        self._key, self._kind = key, kind

    def __missing__(self, row_id: int) -> str:
        self[row_id] = name = pseudonym(self._key, self._kind, row_id)
        return name


class _Lines:
    """One CSV writer for every line."""

    def __init__(self) -> None:
        self._out = io.StringIO()
        self._writer = csv.writer(self._out, lineterminator="\r\n")

    def __call__(self, values: Sequence[object]) -> str:
        self._out.seek(0)
        self._out.truncate()
        self._writer.writerow(values)
        return self._out.getvalue()


def _people(session: Session, scope: Scope, period: Period) -> dict[int, tuple[str, str, str]]:
    """Borough, format and needs (as at the end of the period) of each person in scope."""
    needs = active_needs(period)
    categories: dict[int, list[str]] = defaultdict(list)
    for person_id, category in session.execute(
        select(needs.c.person_id, needs.c.category).where(scope.covers(needs.c.person_id))
    ):
        categories[person_id].append(str(category))
    rows = session.execute(
        select(col(Person.id), col(Person.borough), col(Person.format)).where(
            scope.covers(col(Person.id))
        )
    )
    return {
        person_id: (borough, str(format_), ";".join(sorted(categories[person_id])))
        for person_id, borough, format_ in rows
    }


def _coded(value: object) -> str:
    """A short code ("coming", "green", "7"), or nothing: never free text."""
    text = "" if value is None else str(value)
    return text if CODED.fullmatch(text) else ""
