"""A person's data from first contact to deletion, on the dashboard.

For admins (records): the subject access requests waiting, a person's record with what is
held about them, the export (a zip of the easy-read page and the JSON), and erasure in two
steps (the reason first, then the case reference typed again). For coaches (on the person's
page): close the case, reopen it, ask an admin for the export.

Each request is one unit of work, committed here once; the services write their own audit
entries. The dependencies are small: the unit of work, the account, the clock, the content
and the settings (read from the composed app until web/deps.py offers them).
"""

from __future__ import annotations

import io
import zipfile
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.domain.errors import Invalid, NotFound
from bot.media.cached import cached_media
from bot.models import Account, Person
from bot.services import (
    access_requests,
    audit,
    closure,
    erasure,
    erasure_requests,
    people,
    subject_access,
)
from bot.services.access import Can, need, person_for
from bot.services.person_records import Records, records_of
from bot.services.subject_access_files import as_json, as_page, file_stem
from bot.settings import Settings
from bot.storage import UnitOfWork
from web.auth import CurrentAccount
from web.deps import ClockDep, ContentDep, SettingsDep, UowDep
from web.pages import notice
from web.pages.forms import done, person_url, ref_from_url, ref_in_url
from web.templating import page

router = APIRouter()


Reason = Annotated[str, Form(max_length=500)]


def record_url(ref: str, rest: str = "") -> str:
    return f"/records/{ref_in_url(ref)}{rest}"


def _record(uow: UnitOfWork, admin: Account, ref: str) -> Person:
    need(admin, Can.SUBJECT_ACCESS)
    return people.person_by_ref(uow.session, ref_from_url(ref))


def held(records: Records) -> list[tuple[str, int]]:
    """What is kept about the person, kind by kind, as the admin reads it."""
    return [
        ("Chat links", len(records.links)),
        ("Needs from screening", len(records.needs)),
        ("Appointments", len(records.appointments)),
        ("Messages sent", len(records.sent)),
        ("Messages planned or kept in the outbox", len(records.outbox)),
        ("Web chat messages", len(records.webchat)),
        ("What they did: replies, presses, moods, check-ins", len(records.events)),
        ("Alerts", len(records.alerts)),
        ("Goals", len(records.goals)),
        ("Nudges and schedules", len(records.nudges) + len(records.schedules)),
        ("Invites", len(records.invites)),
        ("IOM staff who see them", len(records.assignments)),
        (
            "Audit entries about their record (kept after erasure, pointing at no one)",
            len(records.audit),
        ),
    ]


@router.get("/records")
def records_page(request: Request, uow: UowDep, admin: CurrentAccount, ref: str = "") -> Response:
    need(admin, Can.SUBJECT_ACCESS)
    errors = {}
    if ref.strip():
        try:
            found = people.person_by_ref(uow.session, ref[:40])
        except NotFound:
            errors["ref"] = f"No person has the case reference {ref.strip().upper()[:40]}"
        else:
            return RedirectResponse(record_url(found.ref), status_code=303)
    context = {
        "waiting": access_requests.waiting(uow.session),
        "erasure_waiting": erasure_requests.waiting(uow.session),
        "record_url": record_url,
        "ref": ref[:40],
        "errors": errors,
        "notice": notice.take(request),
        "title": "Records",
    }
    return page(request, "records/index.html", context, 422 if errors else 200)


@router.get("/records/{ref}")
def record_page(
    request: Request,
    ref: str,
    uow: UowDep,
    admin: CurrentAccount,
    clock: ClockDep,
    settings: SettingsDep,
) -> HTMLResponse:
    person = _record(uow, admin, ref)
    records = records_of(uow.session, person)
    audit.record(uow.session, clock, admin.id, "view", "records", person_id=person.id)
    context = {
        "person": person,
        "held": held(records),
        "record_url": record_url,
        "reopen_until": closure.retention_ends(person, settings.retention.closed_case_days),
        "waiting": any(w.ref == person.ref for w in access_requests.waiting(uow.session)),
        "notice": notice.take(request),
        "title": person.ref,
    }
    return page(request, "records/record.html", context)


@router.post("/records/{ref}/export")
def export(
    ref: str, uow: UowDep, admin: CurrentAccount, clock: ClockDep, content: ContentDep
) -> Response:
    """The easy-read page and the JSON, in one zip; the export is audited."""
    person = _record(uow, admin, ref)
    document = subject_access.export(
        uow.session, clock, content, person, account_id=admin.id, via="web"
    )
    stem = file_stem(person.ref)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.html", as_page(document))
        archive.writestr(f"{stem}.json", as_json(document))
    return Response(
        packed.getvalue(),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{stem}.zip"',
            "Cache-Control": "no-store",
        },
    )


def _erase_page(
    request: Request,
    person: Person,
    records: Records,
    *,
    step: int,
    reason: str = "",
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    context = {
        "person": person,
        "held": held(records),
        "record_url": record_url,
        "step": step,
        "reason": reason,
        "reason_max": erasure.REASON_MAX,
        "errors": errors or {},
        "title": f"Erase {person.ref}",
    }
    return page(request, "records/erase.html", context, 422 if errors else 200)


@router.get("/records/{ref}/erase")
def erase_form(request: Request, ref: str, uow: UowDep, admin: CurrentAccount) -> HTMLResponse:
    person = _record(uow, admin, ref)
    return _erase_page(request, person, records_of(uow.session, person), step=1)


@router.post("/records/{ref}/erase")
def erase_check(
    request: Request, ref: str, uow: UowDep, admin: CurrentAccount, reason: Reason = ""
) -> HTMLResponse:
    """Step 1: the reason is checked; the next page asks for the reference again."""
    person = _record(uow, admin, ref)
    records = records_of(uow.session, person)
    try:
        tidy = erasure.check_reason(reason, records)
    except Invalid as problem:
        return _erase_page(
            request, person, records, step=1, reason=reason, errors={"reason": str(problem)}
        )
    return _erase_page(request, person, records, step=2, reason=tidy)


@router.post("/records/{ref}/erase/confirm", response_model=None)
def erase(
    request: Request,
    ref: str,
    uow: UowDep,
    admin: CurrentAccount,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    reason: Reason = "",
    typed: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    """Step 2: the reference typed again; then everything goes."""
    person = _record(uow, admin, ref)
    if typed.strip().upper() != person.ref:
        records = records_of(uow.session, person)
        wrong = {"typed": f"Type the case reference {person.ref} to erase this record"}
        return _erase_page(request, person, records, step=2, reason=reason, errors=wrong)
    erased = erasure.erase(
        uow.session,
        clock,
        person,
        reason=reason,
        account_id=admin.id,
        via="web",
        content=content,
        media=cached_media(settings.media, settings.speech),
    )
    uow.after_commit(lambda: erasure.remove_files(erased.files))  # once the rows are gone
    text = (
        f"The record is erased: {erased.total} rows went. "
        "The audit trail keeps that it happened, when, by whom and why."
    )
    return done(request, "/records", text)


def _own(uow: UnitOfWork, account: Account, ref: str, permission: Can) -> Person:
    return person_for(uow.session, account, ref_from_url(ref), permission)


@router.post("/people/{ref}/close", response_model=None)
def close_case(
    request: Request, ref: str, uow: UowDep, account: CurrentAccount, clock: ClockDep
) -> Response:
    person = _own(uow, account, ref, Can.CLOSE)
    closed = closure.close(uow.session, clock, person, account_id=account.id, via="web")
    said = "A goodbye goes to their chat." if closed.goodbye else "They were not linked."
    text = f"The case is closed. {closed.stopped} waiting messages stopped. {said}"
    return done(request, person_url(person.ref, "#case"), text)


@router.post("/people/{ref}/reopen", response_model=None)
def reopen_case(
    request: Request,
    ref: str,
    uow: UowDep,
    account: CurrentAccount,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    person = _own(uow, account, ref, Can.CLOSE)
    closure.reopen(
        uow.session,
        clock,
        person,
        retention_days=settings.retention.closed_case_days,
        account_id=account.id,
        via="web",
    )
    text = "The case is open again. Make an invite to link their chat."
    return done(request, person_url(person.ref, "#case"), text)


@router.post("/people/{ref}/export-request", response_model=None)
def ask_for_export(
    request: Request, ref: str, uow: UowDep, account: CurrentAccount, clock: ClockDep
) -> Response:
    person = _own(uow, account, ref, Can.ASK_EXPORT)
    asked = access_requests.request_export(
        uow.session, clock, person, account_id=account.id, via="web"
    )
    text = (
        "An admin has been asked to make their subject access export."
        if asked
        else "An admin was asked already. Nothing changed."
    )
    return done(request, person_url(person.ref, "#case"), text)


def case_context(person: Person, settings: Settings) -> dict[str, Any]:
    """What the person page's case box shows (web/templates/records/_case.html)."""
    return {"reopen_until": closure.retention_ends(person, settings.retention.closed_case_days)}
