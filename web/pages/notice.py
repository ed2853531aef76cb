"""A one-line notice carried to the next page in the signed session ("The role is changed."),
for the redirect after a form is sent. It never holds a person's data."""

from __future__ import annotations

from fastapi import Request


def tell(request: Request, text: str) -> None:
    request.session["notice"] = text


def take(request: Request) -> str | None:
    value = request.session.pop("notice", None)
    return value if isinstance(value, str) else None
