"""A person's About me (communication passport) and consent history on the dashboard.

On the person's page: the newest About me (for IOM staff only while the person says it may
be shared), the coach's form to add to it with them (a new version each time), the
consent history, and the coach's form to record a consent the person gave, declined or
withdrew. A print page shows the About me as one easy-read page (print CSS hides the rest).

Each request is one unit of work, committed here once; the services write their own audit
entries.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, Response

from bot.domain.errors import Invalid
from bot.models import Decision, Purpose, Via
from bot.services import audit, consent_history, passport
from bot.services.access import Can, person_for
from web.auth import CurrentAccount
from web.deps import ClockDep, ContentDep, SettingsDep, UowDep
from web.pages import person_page
from web.pages.about_me_view import context
from web.pages.forms import done, person_url, ref_from_url
from web.templating import page

router = APIRouter()
Codes = Annotated[list[str] | None, Form()]
OwnWords = Annotated[str, Form(max_length=2000)]
Choice = Annotated[str, Form(max_length=20)]


@router.get("/people/{ref}/about-me")
def print_page(
    request: Request, ref: str, uow: UowDep, clock: ClockDep, account: CurrentAccount
) -> HTMLResponse:
    """The About me as one easy-read page, made to print (or to say it is not shared)."""
    person = person_for(uow.session, account, ref_from_url(ref), Can.SUMMARY)
    found = context(uow.session, account, person)
    audit.record(uow.session, clock, account.id, "view", "about me", person_id=person.id)
    found |= {
        "person": person,
        "person_url": person_url,
        "title": f"About me: {person.preferred_name}",
    }
    return page(request, "people/about_me_print.html", found)


@router.post("/people/{ref}/about-me", response_model=None)
def add_version(
    request: Request,
    ref: str,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    account: CurrentAccount,
    spoken: Codes = None,
    understand: Codes = None,
    hard: Codes = None,
    time: Codes = None,
    overwhelmed: Codes = None,
    format: Codes = None,
    spoken_words: OwnWords = "",
    understand_words: OwnWords = "",
    hard_words: OwnWords = "",
    time_words: OwnWords = "",
    overwhelmed_words: OwnWords = "",
    format_words: OwnWords = "",
    words: OwnWords = "",
) -> Response:
    """The coach adds to it with the person: a new version (the one before stays)."""
    person = person_for(uow.session, account, ref_from_url(ref), Can.EDIT)
    answers: dict[str, Any] = {
        "spoken": spoken or [],
        "understand": understand or [],
        "hard": hard or [],
        "time": time or [],
        "overwhelmed": overwhelmed or [],
        "format": format or [],
        "spoken_words": spoken_words,
        "understand_words": understand_words,
        "hard_words": hard_words,
        "time_words": time_words,
        "overwhelmed_words": overwhelmed_words,
        "format_words": format_words,
    }
    try:
        passport.save(
            uow.session,
            clock,
            person,
            answers,
            words=words,
            via=Via.DASHBOARD,
            account_id=account.id,
        )
    except Invalid as problem:
        values = {"about-words": words[:2000]}
        errors = {"about-words": str(problem)}
        return person_page.show(
            request, uow, clock, content, settings, account, person, errors=errors, values=values
        )
    text = "Their About me is saved as a new version. The one before is kept."
    return done(request, person_url(person.ref, "#about-me"), text)


@router.post("/people/{ref}/consent", response_model=None)
def record_consent(
    request: Request,
    ref: str,
    uow: UowDep,
    clock: ClockDep,
    content: ContentDep,
    settings: SettingsDep,
    account: CurrentAccount,
    purpose: Choice = "",
    decision: Choice = "",
) -> Response:
    """A consent the person gave, declined or withdrew, told to their coach."""
    person = person_for(uow.session, account, ref_from_url(ref), Can.EDIT)
    try:
        chosen = consent_history.parse(purpose, decision)
    except Invalid as problem:
        values = {"consent-purpose": purpose, "consent-decision": decision}
        errors = {"consent-purpose": str(problem)}
        return person_page.show(
            request, uow, clock, content, settings, account, person, errors=errors, values=values
        )
    consent_history.record(
        uow.session,
        clock,
        person,
        *chosen,
        via=Via.DASHBOARD,
        account_id=account.id,
    )
    what = consent_history.PURPOSE_NAMES[Purpose(chosen[0])]
    said = consent_history.DECISION_NAMES[Decision(chosen[1])].lower()
    return done(request, person_url(person.ref, "#consent"), f"Recorded: {what}, {said}.")
