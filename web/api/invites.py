"""Invites: a new single-use code for a person, with the links that carry it."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter, Response
from pydantic import BaseModel

from bot.domain.actor import Actor
from bot.services import invites
from bot.services.access import Can, person_for
from web.api.deps import Caller
from web.api.problems import refusals
from web.api.types import RefPath
from web.deps import ClockDep, SettingsDep, UowDep

router = APIRouter(tags=["invites"])


class InvitePublic(BaseModel):
    code: str  # shown this once: only its hash is kept
    telegram_link: str
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
        telegram_link=invites.deep_link(settings.telegram.bot_username, code),
        web_chat_link=f"{settings.web.public_url}/chat/join?code={code}",
        expires_at=clock.now() + timedelta(days=settings.invite_days),
    )
