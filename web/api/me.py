"""Who the token belongs to, and what its role allows."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from bot.models import Role
from bot.services.access import ROLES, Can
from web.api.deps import Caller
from web.api.problems import refusals

router = APIRouter(tags=["account"])


class AccountPublic(BaseModel):
    id: int
    email: str
    name: str
    role: Role
    permissions: list[Can]  # what the role allows, as bot/services/access.py names it


@router.get("/me", summary="The account this token acts for", responses=refusals())
def me(account: Caller) -> AccountPublic:
    assert account.id is not None
    return AccountPublic(
        id=account.id,
        email=account.email,
        name=account.name,
        role=account.role,
        permissions=sorted(ROLES[account.role]),
    )
