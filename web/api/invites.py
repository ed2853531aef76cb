"""Invites: a new single-use code for a person, with the links that carry it, and the
short pairing code a coach reads out."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter, Response
from pydantic import BaseModel

from bot.domain.actor import Actor
from bot.services import invites, pairing
from bot.services.access import Can, person_for
from web.api.deps import Caller
from web.api.problems import refusals
from web.api.types import RefPath
from web.deps import ClockDep, SettingsDep, UowDep

router = APIRouter(tags=["invites"])


class InvitePublic(BaseModel):
    code: str  # shown this once: only its hash is kept
    telegram_link: str | None  # None when Waymark runs without Telegram
    web_chat_link: str
    expires_at: datetime


@router.post(
    "/people/{ref:path}/invites",
    status_code=201,
    summary="Invite a person (the code is shown once)",
    description=(
        "A new invite voids the person's earlier ones. The answer is the only place the "
        "code appears (it is sent with Cache-Control: no-store); pass a link to the person."
    ),
    responses=refusals(403, 404, 422),
)
def invite_person(
    ref: RefPath,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    account: Caller,
) -> InvitePublic:
    person = person_for(uow.session, account, ref, Can.EDIT)
    actor = Actor.api(account.id)
    code = invites.invite_person(uow, clock, person.ref, settings.invite_days, actor=actor)
    response.headers["Cache-Control"] = "no-store"
    return InvitePublic(
        code=code,
        telegram_link=invites.telegram_link(settings.telegram, code),
        web_chat_link=invites.webchat_link(settings.web.public_url, code),
        expires_at=clock.now() + timedelta(days=settings.invite_days),
    )


class PairingCodePublic(BaseModel):
    code: str  # six digits, shown this once: only a salted hash is kept
    spoken: str  # as it is read out: "483 219"
    expires_at: datetime


@router.post(
    "/people/{ref:path}/pairing-codes",
    status_code=201,
    summary="A pairing code to read out (shown once)",
    description=(
        "Six digits for someone who cannot open a link: typed in Telegram or the web chat, "
        "with or without /start. It works once, for 15 minutes; a new one voids the "
        "person's earlier pairing code."
    ),
    responses=refusals(403, 404, 422),
)
def pairing_code(
    ref: RefPath, response: Response, uow: UowDep, clock: ClockDep, account: Caller
) -> PairingCodePublic:
    person = person_for(uow.session, account, ref, Can.EDIT)
    made = pairing.make(uow.session, clock, person, actor=Actor.api(account.id))
    response.headers["Cache-Control"] = "no-store"
    return PairingCodePublic(code=made.code, spoken=made.spoken, expires_at=made.expires_at)
