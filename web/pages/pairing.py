"""A pairing code for a person: six digits a coach reads out to someone who cannot open a
link (bot/services/pairing.py). Shown once and never cached: only a hash is kept."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from bot.domain.actor import Actor
from bot.services import pairing
from bot.services.access import Can, person_for
from web.auth import CurrentAccount
from web.deps import ClockDep, SettingsDep, UowDep
from web.pages import person_page
from web.pages.forms import ref_from_url
from web.templating import page

router = APIRouter()


@router.post("/people/{ref}/pairing-code", response_model=None)
def pairing_code(
    request: Request,
    ref: str,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    account: CurrentAccount,
) -> Response:
    found = person_for(uow.session, account, ref_from_url(ref), Can.EDIT)
    made = pairing.make(uow.session, clock, found, actor=Actor.dashboard(account.id))
    context: dict[str, Any] = person_page.common(request) | {
        "person": found,
        "spoken": made.spoken,
        "digit_by_digit": " ".join(made.code),  # a screen reader says each digit
        "expires": made.expires_at,
        "minutes": int(pairing.LIFETIME.total_seconds() // 60),
        "telegram": settings.telegram.has_token,
        "bot_username": settings.telegram.bot_username,
        "join_link": f"{settings.web.public_url}/chat/join",
    }
    response = page(request, "people/pairing.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response
