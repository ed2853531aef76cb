"""Content edits reach what Waymark sends: a save in the dashboard is used by the very
next reminder the dispatcher sends (to a person in the web chat), edits saved before are
read when Waymark opens, and each language of the library is edited apart."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import Engine

from bot.composition import Waymark, build
from bot.content.library import CONTENT_DIR, load_content
from bot.models import Role
from bot.services import content_edits
from bot.storage import UnitOfWork, committed
from tests.conftest import make_settings
from tests.support import world
from tests.support.content_pages import EDITED, content_audit, edits
from tests.support.fakes import FixedClock
from tests.support.web import Site, add_accounts
from tests.support.webchat import WebPerson
from web.app import create_app

STARTS = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # Wednesday 25 November, 10:00 GMT
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


async def test_a_save_is_audited_and_the_next_reminder_uses_the_new_words(
    site: Site, site_waymark: Waymark
) -> None:
    app = site_waymark
    await site.login_as(Role.COACH)
    sam = await _onboarded_in_the_web_chat(app, site)

    saved = await site.post(
        "/content/reminder_evening", {"action": "save", "text": EDITED, "easy": EDITED}
    )

    assert saved.status_code == 303
    assert saved.headers["location"] == "/content/reminder_evening"
    page = await site.get("/content/reminder_evening")
    assert "Saved. People get the new words from now on" in page.text
    assert "Changed from the file&#39;s words: plain words, easy-read words" in page.text
    [edit] = edits(app.engine)
    assert (edit.key, edit.fields) == ("reminder_evening", {"text": EDITED, "easy": EDITED})
    [entry] = content_audit(app.engine)
    assert (entry.action, entry.subject, entry.via) == ("change", "content reminder_evening", "web")
    world.add_appointment(app, STARTS)
    app.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]

    assert (await app.dispatcher.tick()).counts == {"sent": 1}

    reminder = await sam.last()
    assert reminder["words"] == (
        "Tomorrow 10:00, Camberwell\n"
        "Sam, tomorrow: Wednesday 25 November, 10:00, Camberwell Office, 45 Camberwell Road. "
        "You will meet Jo there."
    )


async def _onboarded_in_the_web_chat(app: Waymark, site: Site) -> WebPerson:
    person = world.add_person(app)
    assert person.id is not None
    chat_id = await app.webchat.intake.link_person(person.id)
    assert chat_id is not None
    sam = WebPerson(site.client, chat_id)
    await sam.open()
    for data in ("consent:agree", "format:words", "reminders:recommended", "quiet:quiet_none"):
        await sam.press(f"ob:{data}")
    await sam.press("ob:discreet:discreet_on")
    await sam.press("ob:practice:coming")
    return sam


async def test_edits_saved_before_are_read_when_waymark_opens(
    engine: Engine, clock: FixedClock, db_url: str
) -> None:
    first = build(make_settings(db_url), clock=clock, engine=engine)
    editor = world.add_coach(first)
    assert editor.id is not None
    with committed(partial(UnitOfWork, engine)) as uow:
        content_edits.save(
            uow,
            clock,
            first.files,
            key="reminder_evening",
            fields={"text": EDITED},
            edited_by=editor.id,
        )
    restarted = build(make_settings(db_url), clock=clock, engine=engine)
    assert restarted.content.message("reminder_evening").text != EDITED

    await restarted.open()

    assert restarted.content.message("reminder_evening").text == EDITED
    assert restarted.files.message("reminder_evening").text != EDITED


async def test_another_worker_takes_up_an_edit_when_it_next_plans(
    engine: Engine, clock: FixedClock, db_url: str
) -> None:
    editing = build(make_settings(db_url), clock=clock, engine=engine)
    other = build(make_settings(db_url), clock=clock, engine=engine)
    await other.open()
    editor = world.add_coach(editing)
    assert editor.id is not None
    with committed(partial(UnitOfWork, engine)) as uow:
        library = content_edits.save(
            uow,
            clock,
            editing.files,
            key="reminder_evening",
            fields={"text": EDITED},
            edited_by=editor.id,
        )
    editing.use_content(library)
    assert other.content.message("reminder_evening").text != EDITED

    other.runner.start()  # the planning job runs at once, then every 15 minutes
    try:
        for _ in range(100):
            if other.content.message("reminder_evening").text == EDITED:
                break
            await asyncio.sleep(0.05)
    finally:
        other.runner.shutdown()

    assert other.content.message("reminder_evening").text == EDITED


WELSH = """\
version: "test-cy"
language: cy
messages:
  help:
    text: "Rwy'n eich atgoffa o apwyntiadau. Eich hyfforddwr yw {coach}."
    easy: "Rwy'n eich atgoffa o apwyntiadau. Eich hyfforddwr yw {coach}."
    voice: "Rwy'n eich atgoffa o apwyntiadau. Eich hyfforddwr yw {coach}."
    card:
      kind: nudge
      icon: heart
      title: "Help"
      big: "Apwyntiadau"
"""


async def test_a_library_in_two_languages_edits_each_language_apart(
    engine: Engine, clock: FixedClock, db_url: str, tmp_path: Path
) -> None:
    directory = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, directory)
    (directory / "messages.cy.yaml").write_text(WELSH, encoding="utf-8")
    app = build(make_settings(db_url), clock=clock, engine=engine, content=load_content(directory))
    add_accounts(app)
    async with Site(create_app(app)) as site:
        await site.login_as(Role.COACH)

        editor = await site.get("/content/help", params={"language": "cy"})
        saved = await site.post(
            "/content/help", {"action": "save", "language": "cy", "card_big": "Eich apwyntiadau"}
        )
        wrong = await site.get("/content/help", params={"language": "fr"})

    assert editor.status_code == 200
    assert '<option value="cy" selected>cy</option>' in editor.text
    assert '<input type="hidden" name="language" value="cy">' in editor.text
    assert "Eich hyfforddwr yw Priya." in editor.text  # the Welsh words, filled in
    assert saved.headers["location"] == "/content/help?language=cy"
    assert [(e.language, e.fields) for e in edits(engine)] == [
        ("cy", {"card": {"big": "Eich apwyntiadau"}})
    ]
    assert app.content.message("help", "cy").card.big == "Eich apwyntiadau"  # type: ignore[union-attr]
    assert app.content.message("help") == app.files.message("help")  # English as it was
    assert wrong.status_code == 404
