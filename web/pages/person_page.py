"""Building a person's page: the whole page for their coach, a summary of attendance and
engagement for IOM staff. Every showing is written to the audit trail.

Which page an account gets is the policy's decision (Can.COACHING), and the staff page is
built from attendance and engagement numbers only: goals, nudges, mood, check-in answers
and the timeline are never read for it, so no template can show them by mistake.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import HTMLResponse

from bot.content.library import ContentLibrary
from bot.domain.clock import Clock
from bot.models import (
    NEED_LABELS,
    Account,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Format,
    Person,
)
from bot.services import appointments, attendance, audit, caseload, coaching_plan, needs, timeline
from bot.services.access import Can, allows
from bot.services.alerts import coach_of
from bot.services.webchat import CHANNEL as WEBCHAT
from bot.settings import Settings
from bot.storage import UnitOfWork
from web.pages import about_me_view, person_data
from web.pages.forms import person_url
from web.pages.notice import take as take_notice
from web.templating import page

FORMAT_NAMES = {
    Format.WORDS: "Words",
    Format.PICTURES: "Pictures (a picture card with a short caption)",
    Format.VOICE: "Voice (a voice note with the words under it)",
}
KIND_NAMES = {
    AppointmentKind.PROBATION: "Probation",
    AppointmentKind.POLICE: "Police",
    AppointmentKind.GP: "GP",
    AppointmentKind.JOBCENTRE: "Jobcentre",
    AppointmentKind.COURT: "Court",
    AppointmentKind.COACHING: "Coaching",
    AppointmentKind.OTHER: "Other",
}
OUTCOME_OPTIONS = [
    ("attended", "Attended"),
    ("missed", "Missed"),
    ("rescheduled", "Rescheduled"),
]


def common(request: Request, values: dict[str, str] | None = None) -> dict[str, Any]:
    """What every people page's template uses."""
    return {
        "person_url": person_url,
        "values": values or {},
        "notice": take_notice(request),
        "kind_names": KIND_NAMES,
    }


def split_appointments(
    clock: Clock, listed: list[Appointment]
) -> tuple[list[Appointment], list[Appointment]]:
    """Upcoming ones (soonest first), then past and cancelled ones (latest first)."""
    now = clock.now()
    ahead = [a for a in listed if a.status == AppointmentStatus.SCHEDULED and a.starts_at > now]
    behind = [a for a in listed if a not in ahead]
    return ahead, sorted(behind, key=lambda a: a.starts_at, reverse=True)


def _shared(uow: UnitOfWork, clock: Clock, person: Person) -> dict[str, Any]:
    """What both pages show: the person's basics, appointments and numbers."""
    assert person.id is not None
    session = uow.session
    upcoming, past = split_appointments(clock, appointments.list_for(session, person.ref))
    return {
        "person": person,
        "upcoming": upcoming,
        "past": past,
        "summary": attendance.summary(session, clock, person.id),
        "now": clock.now(),
        "outcome_options": OUTCOME_OPTIONS,
    }


def _coaching(
    uow: UnitOfWork, content: ContentLibrary, settings: Settings, account: Account, person: Person
) -> dict[str, Any]:
    assert person.id is not None
    session = uow.session
    link = caseload.link_of(session, person.id)
    webchat = None
    if link is not None and link.channel == WEBCHAT and allows(account, Can.WEBCHAT):
        webchat = person_url(person.ref, "/chat")  # read-only, never the chat's own address
    return {
        "coach_name": coach_of(session, person).name,
        "link": link,
        "channel_name": caseload.CHANNEL_NAMES.get(link.channel, link.channel) if link else None,
        "webchat_url": webchat,
        "needs": needs.current(session, person.id),
        "need_options": [(c.value, label) for c, label in NEED_LABELS.items()],
        "plan": coaching_plan.plan_of(session, person),
        "timeline": timeline.timeline(session, content, person),
        "format_options": [(f.value, name) for f, name in FORMAT_NAMES.items()],
        "format_name": FORMAT_NAMES.get(person.format, person.format),
        "languages": [(code, code) for code in content.languages],
        "kind_options": [(k.value, name) for k, name in KIND_NAMES.items()],
        "invite_days": settings.invite_days,
    } | person_data.case_context(person, settings)


def show(
    request: Request,
    uow: UnitOfWork,
    clock: Clock,
    content: ContentLibrary,
    settings: Settings,
    account: Account,
    person: Person,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    """The person's page (with the errors of a form that did not work, status 422, and
    nothing of that form saved); the view is audited."""
    if errors:
        uow.rollback()  # whatever the failed change began is not kept
    context = common(request, values) | _shared(uow, clock, person)
    context |= about_me_view.context(uow.session, account, person)
    if allows(account, Can.COACHING):
        template = "people/person.html"
        context |= _coaching(uow, content, settings, account, person)
    else:
        template = "people/summary.html"
    audit.record(uow.session, clock, account.id, "view", "person", person_id=person.id)
    context["errors"] = errors or {}
    return page(request, template, context, 422 if errors else 200)
