"""The caseload, a person's page, and the changes made from its top half: preferences,
needs from screening and invites. Appointments are in appointments.py, goals and nudges
in plans.py; pages are built in person_page.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, Response

from bot.domain.actor import Actor
from bot.domain.boroughs import BOROUGHS
from bot.domain.errors import Duplicate, Invalid
from bot.domain.leads import parse_leads
from bot.models import Account, Format, Person
from bot.services import audit, caseload, invites, needs, people
from bot.services.access import Can, allows, need, people_of, person_for
from bot.storage import UnitOfWork
from web.auth import CurrentAccount
from web.deps import ClockDep, ContentDep, SettingsDep, UowDep
from web.pages import person_page
from web.pages.forms import done, person_url, ref_from_url
from web.templating import page

router = APIRouter()
Text = Annotated[str, Form(max_length=2000)]
REF_CHARACTERS = "-_/"


def _caseload(
    request: Request,
    uow: UnitOfWork,
    clock: ClockDep,
    account: Account,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    if errors:
        uow.rollback()
    rows = caseload.rows(uow.session, clock, people_of(uow.session, account))
    audit.record(uow.session, clock, account.id, "view", "caseload")
    context = person_page.common(request, values) | {
        "rows": rows,
        "boroughs": [("", "Choose a borough"), *((b, b) for b in BOROUGHS)],
        "errors": errors or {},
    }
    return page(request, "people/caseload.html", context, 422 if errors else 200)


@router.get("/people")
def caseload_page(
    request: Request, uow: UowDep, clock: ClockDep, account: CurrentAccount
) -> HTMLResponse:
    need(account, Can.CASELOAD)
    return _caseload(request, uow, clock, account)


def _check_new_person(ref: str, name: str, borough: str, leads: str) -> dict[str, str]:
    errors = {}
    if not ref:
        errors["person-ref"] = "Enter a case reference"
    elif len(ref) > 40 or not all(ch.isalnum() or ch in REF_CHARACTERS for ch in ref):
        errors["person-ref"] = "A case reference has up to 40 letters, digits, - _ and /"
    if not name:
        errors["person-name"] = "Enter the name they like to be called"
    elif len(name) > 60:
        errors["person-name"] = "A preferred name has 60 characters at most"
    if borough not in BOROUGHS:
        errors["person-borough"] = "Choose the borough they live in"
    try:
        parse_leads(leads)
    except ValueError as error:
        errors["person-leads"] = f"Reminder times: {error}"
    return errors


@router.post("/people", response_model=None)
def add_person(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    account: CurrentAccount,
    ref: Text = "",
    name: Text = "",
    borough: Text = "",
    leads: Text = "",
) -> Response:
    need(account, Can.EDIT)
    ref, name, leads = ref.strip().upper(), " ".join(name.split()), leads.strip()
    values = {"person-ref": ref, "person-name": name, "person-borough": borough}
    values["person-leads"] = leads
    errors = _check_new_person(ref, name, borough, leads)
    if not errors:
        try:
            added = people.add_person(
                uow,
                clock,
                ref=ref,
                name=name,
                borough=borough,
                coach_email=account.email,
                leads=leads or None,
            )
        except Duplicate:
            errors["person-ref"] = "A person with this case reference exists already"
        except Invalid as problem:
            errors["person-ref"] = str(problem)
        else:
            # The person's id, never their reference: erasure then leaves nothing of them.
            audit.record(uow.session, clock, account.id, "change", "new person", person_id=added.id)
            return done(request, person_url(ref), f"{name} ({ref}) is on your caseload")
    return _caseload(request, uow, clock, account, errors, values)


def _person(uow: UnitOfWork, account: Account, ref: str, permission: Can) -> Person:
    return person_for(uow.session, account, ref_from_url(ref), permission)


@router.get("/people/{ref}")
def person(
    request: Request,
    ref: str,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    account: CurrentAccount,
) -> HTMLResponse:
    permission = Can.COACHING if allows(account, Can.COACHING) else Can.SUMMARY
    found = _person(uow, account, ref, permission)
    return person_page.show(request, uow, clock, content, settings, account, found)


@router.post("/people/{ref}/preferences", response_model=None)
def preferences(
    request: Request,
    ref: str,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    account: CurrentAccount,
    format: Text = "",
    easy_read: Text = "",
    language: Text = "",
) -> Response:
    found = _person(uow, account, ref, Can.EDIT)
    values = {"pref-format": format, "pref-easy-read": easy_read, "pref-language": language}
    errors = {}
    if format not in {f.value for f in Format}:
        errors["pref-format"] = "Choose words, pictures or voice"
    if easy_read not in ("yes", "no"):
        errors["pref-easy-read"] = "Choose whether they get easy-read words"
    if language not in content.languages:
        errors["pref-language"] = "Choose a language the content library has"
    if not errors:
        audit.record(uow.session, clock, account.id, "change", "preferences", person_id=found.id)
        people.set_preferences(
            uow,
            found.ref,
            format_=format,
            easy_read=easy_read == "yes",
            language=language,
            languages=content.languages,
        )
        return done(request, person_url(found.ref, "#preferences"), "Preferences saved")
    return person_page.show(
        request, uow, clock, content, settings, account, found, errors=errors, values=values
    )


@router.post("/people/{ref}/needs", response_model=None)
def record_need(
    request: Request,
    ref: str,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    account: CurrentAccount,
    category: Text = "",
) -> Response:
    found = _person(uow, account, ref, Can.EDIT)
    assert found.id is not None
    assert account.id is not None
    try:
        needs.record(uow, clock, found.id, category, account.id, actor=Actor.dashboard(account.id))
    except (Invalid, Duplicate) as problem:
        message = str(problem) if isinstance(problem, Duplicate) else "Choose a category of need"
        errors = {"need-category": message[:1].upper() + message[1:]}
        values = {"need-category": category}
        return person_page.show(
            request, uow, clock, content, settings, account, found, errors=errors, values=values
        )
    return done(request, person_url(found.ref, "#needs"), "Need recorded")


@router.post("/people/{ref}/needs/{need_id}/remove", response_model=None)
def remove_need(
    request: Request,
    ref: str,
    need_id: int,
    uow: UowDep,
    clock: ClockDep,
    account: CurrentAccount,
) -> Response:
    found = _person(uow, account, ref, Can.EDIT)
    assert found.id is not None
    needs.remove(uow, clock, found.id, need_id, actor=Actor.dashboard(account.id))
    return done(request, person_url(found.ref, "#needs"), "Need removed")


def _qr_svg(link: str) -> str:
    """The link as a QR code, inline SVG; its text alternative is set by the page."""
    code = segno.make(link, error="m")
    svg: str = code.svg_inline(scale=5, border=4, svgclass="wm-qr-code", lineclass=None)
    return svg


@router.post("/people/{ref}/invite", response_model=None)
def invite(
    request: Request,
    ref: str,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    account: CurrentAccount,
) -> Response:
    """A new invite, shown once (only its hash is kept), so this answer is the page
    itself and is not cached; a newer invite voids the one before."""
    found = _person(uow, account, ref, Can.EDIT)
    actor = Actor.dashboard(account.id)
    code = invites.invite_person(uow, clock, found.ref, settings.invite_days, actor=actor)
    webchat = invites.webchat_link(settings.web.public_url, code)
    # With Telegram off the web chat is the only way in: no t.me link to a bot nobody runs.
    telegram = invites.telegram_link(settings.telegram, code)
    context: dict[str, Any] = person_page.common(request) | {
        "person": found,
        "telegram_link": telegram,
        "webchat_link": webchat,
        "code": code,
        "qr_svg": _qr_svg(telegram or webchat),
        "expires": clock.now() + timedelta(days=settings.invite_days),
    }
    response = page(request, "people/invite.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response
