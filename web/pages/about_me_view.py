"""What a person's page shows of their About me and their consent history (the page is
built in person_page.py; the About me's own routes are in about_me.py)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.models import Account, Person
from bot.services import consent_history, passport
from bot.services.access import Can, allows
from web.pages.forms import person_url

# What a coach may record on the dashboard, as the person told them.
PURPOSE_OPTIONS = [(p.value, name) for p, name in consent_history.PURPOSE_NAMES.items()]
DECISION_OPTIONS = [(d.value, name) for d, name in consent_history.DECISION_NAMES.items()]


def context(session: Session, account: Account, person: Person) -> dict[str, Any]:
    """What the person's page shows of their About me and consents."""
    assert person.id is not None
    shared = consent_history.shares_passport(session, person.id)
    coaching = allows(account, Can.COACHING)
    about = passport.latest(session, person.id) if coaching or shared else None
    found: dict[str, Any] = {
        "about_me": about,
        "about_me_shared": shared,
        "about_me_url": person_url(person.ref, "/about-me"),
    }
    if coaching:
        found |= {
            "about_me_topics": passport.TOPICS,
            "about_me_versions": len(passport.versions(session, person.id)),
            "consents": consent_history.history(session, person.id),
            "consent_purposes": PURPOSE_OPTIONS,
            "consent_decisions": DECISION_OPTIONS,
        }
    return found
