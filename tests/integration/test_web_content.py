"""The content library and its editor in the dashboard, through the real web app: the
library, the editor with its preview of every format, the live preview's JSON, the card
and the voice note, a refused save (422, nothing saved), "Check", going back to the
file's words, who may use it, and forms without their CSRF token. Saving and what it
changes in what Waymark sends: test_web_content_wiring.py."""

from __future__ import annotations

import re

import pytest

from bot.composition import Waymark
from bot.models import Role
from tests.support.content_pages import EDITED, codes, content_audit, edits, live_preview
from tests.support.web import Site

IDIOM_EASY = (
    "It is a piece of cake. I send you a reminder before every one of your appointments "
    "so that you know where to go and when. PLEASE send /next. Your coach is {coach}."
)  # an idiom, a sentence of 20 words and capitals


async def test_the_library_lists_every_item_and_finds_by_key(site: Site) -> None:
    await site.login_as(Role.COACH)

    everything = await site.get("/content")
    found = await site.get("/content", params={"q": "reminder_"})

    assert everything.status_code == 200
    for key in ("reminder_evening", "help", "button:coming", "coach_alert"):
        assert f'href="/content/{key}"' in everything.text
    assert "Words, easy-read, voice, card" in everything.text
    assert "Words only" in everything.text
    assert 'href="/content/reminder_evening"' in found.text
    assert 'href="/content/help"' not in found.text


async def test_the_editor_shows_the_form_and_every_format(site: Site) -> None:
    await site.login_as(Role.COACH)

    answer = await site.get("/content/reminder_evening")

    assert answer.status_code == 200
    html = answer.text
    for name in ("text", "easy", "voice", "card_title", "card_top", "card_big", "card_small_1"):
        assert f'id="{name}" name="{name}"' in html
    assert 'aria-live="polite"' in html
    assert "Sam, tomorrow: Wednesday 25 November, 10:00, Camberwell Office" in html
    assert re.search(r'<img data-preview="card" src="/content/reminder_evening/card.png\?', html)
    assert 'alt="Tomorrow. Wednesday 25 November. 10:00. Camberwell Office' in html
    assert re.search(r'<audio controls preload="none" data-preview="voice" src="', html)
    assert "at 10 o&#39;clock in the morning" in html  # the voice script, spoken time in words
    assert "Reading ease" in html
    assert '<script src="/static/content_editor.js" defer>' in html
    form = re.search(r'<form [^>]*id="content-form"[^>]*>\s*<input ([^>]*)>', html)
    assert form is not None
    assert form.group(1) == f'type="hidden" name="csrftoken" value="{site.csrf}"'


async def test_the_live_preview_shows_findings_and_scores_of_the_words_typed(
    site: Site, site_waymark: Waymark
) -> None:
    await site.login_as(Role.COACH)

    answer = await live_preview(site, "help", easy=IDIOM_EASY)

    assert answer.status_code == 200
    view = answer.json()
    assert {"idiom", "long_sentence", "capitals"} <= codes(view, "easy")
    idiom = next(f for f in view["findings"] if f["code"] == "idiom")
    assert (idiom["severity"], idiom["label"]) == ("Problem", "Easy-read words")
    assert "'piece of cake' is an idiom" in idiom["message"]
    assert view["easy"].startswith("It is a piece of cake.")
    assert "Your coach is Priya." in view["easy"]  # filled with the example values
    scores = {score["field"]: score["text"] for score in view["scores"]}
    assert set(scores) == {"text", "easy", "voice"}
    assert scores["easy"].startswith("Reading ease ")
    assert "problems" in view["summary"]
    assert view["card_url"].startswith("/content/help/card.png?")
    assert view["voice_url"].startswith("/content/help/voice.ogg?")
    assert edits(site_waymark.engine) == []  # a preview saves nothing


async def test_a_broken_variable_in_the_live_preview_names_its_field(site: Site) -> None:
    await site.login_as(Role.COACH)

    view = (await live_preview(site, "help", easy="Hello {nobody}.")).json()

    assert view["refused"]
    assert [(f["field"], f["severity"]) for f in view["findings"]] == [("easy", "Problem")]
    assert "nobody" in view["findings"][0]["message"]


async def test_the_card_and_the_voice_note_of_a_draft_come_back_as_files(site: Site) -> None:
    await site.login_as(Role.COACH)
    view = (await live_preview(site, "help", card_title="Help for you", voice="I can help.")).json()

    card = await site.get(view["card_url"])
    voice = await site.get(view["voice_url"])

    assert (card.status_code, card.headers["content-type"]) == (200, "image/png")
    assert card.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "card_title=Help+for+you" in view["card_url"]
    assert view["card_alt"].startswith("Help for you.")
    assert (voice.status_code, voice.headers["content-type"]) == (200, "audio/ogg")
    assert voice.content.startswith(b"OggS")
    assert view["voice_script"] == "I can help."


async def test_a_button_label_is_previewed_and_checked(site: Site) -> None:
    await site.login_as(Role.COACH)

    editor = await site.get("/content/button:coming")
    view = (await live_preview(site, "button:coming", label="I am coming along today")).json()
    card = await site.get("/content/button:coming/card.png")

    assert editor.status_code == 200
    assert 'id="label" name="label"' in editor.text
    assert view["kind"] == "button"
    assert view["label"] == "I am coming along today"
    assert {"button_length", "button_emoji"} <= codes(view, "label")
    assert card.status_code == 404


async def test_a_save_the_rules_refuse_is_a_422_on_its_field_and_saves_nothing(
    site: Site, site_waymark: Waymark
) -> None:
    await site.login_as(Role.COACH)

    answer = await site.post("/content/help", {"action": "save", "easy": IDIOM_EASY})

    assert answer.status_code == 422
    html = answer.text
    assert "There is a problem" in html
    assert '<a href="#easy">' in html  # the error summary links to the field
    error = re.search(r'id="easy-error" class="govuk-error-message">(.*?)</p>', html)
    assert error is not None
    assert "This sentence has 20 words." in error.group(1)
    assert "And 2 more problems with these words: see the check." in error.group(1)
    assert "&#39;piece of cake&#39; is an idiom" in html  # in the check beside the form
    assert "It is a piece of cake." in html  # what was typed is kept
    assert edits(site_waymark.engine) == []
    assert content_audit(site_waymark.engine) == []
    assert site_waymark.content.message("help").easy == site_waymark.files.message("help").easy


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"easy": "Hello {nobody}."}, "easy", "Easy-read words: "),
        ({"easy": "  "}, "easy", "Enter the easy-read words"),
        ({"card_title": ""}, "card_title", "Enter the card title"),
        ({"text": "x" * 1001}, "text", "Plain words can have 1000 characters at most"),
    ],
)
async def test_a_broken_field_is_a_422_with_its_message(
    site: Site, site_waymark: Waymark, fields: dict[str, str], field: str, message: str
) -> None:
    await site.login_as(Role.COACH)

    answer = await site.post("/content/help", {"action": "save", **fields})

    assert answer.status_code == 422
    error = re.search(rf'id="{field}-error" class="govuk-error-message">(.*?)</p>', answer.text)
    assert error is not None
    assert message in error.group(1)
    assert edits(site_waymark.engine) == []


async def test_check_shows_the_preview_of_the_words_typed_and_saves_nothing(
    site: Site, site_waymark: Waymark
) -> None:
    await site.login_as(Role.COACH)

    answer = await site.post("/content/help", {"action": "check", "easy": IDIOM_EASY})

    assert answer.status_code == 200
    assert "Checked: nothing is saved yet." in answer.text
    assert "&#39;piece of cake&#39; is an idiom" in answer.text
    assert edits(site_waymark.engine) == []


async def test_going_back_to_the_files_words(site: Site, site_waymark: Waymark) -> None:
    app = site_waymark
    await site.login_as(Role.MANAGER)  # managers may edit too
    await site.post("/content/reminder_evening", {"action": "save", "text": EDITED, "easy": EDITED})
    assert app.content.message("reminder_evening").text == EDITED
    editor = await site.get("/content/reminder_evening")
    assert "Go back to the file's words</button>" in editor.text

    back = await site.post("/content/reminder_evening/revert", {"language": "en"})

    assert back.status_code == 303
    assert app.content.message("reminder_evening") == app.files.message("reminder_evening")
    page = await site.get("/content/reminder_evening")
    assert "The file&#39;s words are back" in page.text
    assert "Went back to the file&#39;s words" in page.text
    assert "Go back to the file's words</button>" not in page.text
    assert [edit.fields for edit in edits(app.engine)] == [{"text": EDITED, "easy": EDITED}, {}]
    assert len(content_audit(app.engine)) == 2


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
async def test_other_roles_may_not_use_the_library(site: Site, role: Role) -> None:
    await site.login_as(role)

    pages = [await site.get(path) for path in ("/content", "/content/help")]
    saved = await site.post("/content/help", {"action": "save", "text": "Hello."})
    previewed = await live_preview(site, "help", text="Hello.")
    card = await site.get("/content/help/card.png")

    assert [r.status_code for r in (*pages, saved, previewed, card)] == [403] * 5


async def test_a_form_without_its_csrf_token_is_refused(site: Site, site_waymark: Waymark) -> None:
    await site.login_as(Role.COACH)

    saved = await site.client.post("/content/help", data={"action": "save", "text": "Hello."})
    previewed = await site.client.post("/content/help/preview", data={"text": "Hello."})

    assert (saved.status_code, previewed.status_code) == (403, 403)
    assert edits(site_waymark.engine) == []


async def test_an_unknown_item_is_not_found(site: Site) -> None:
    await site.login_as(Role.COACH)

    answers = [await site.get(p) for p in ("/content/no_such_item", "/content/button:nothing")]

    assert [a.status_code for a in answers] == [404, 404]


async def test_a_voice_note_of_words_too_long_is_refused(site: Site) -> None:
    await site.login_as(Role.COACH)

    answer = await site.get("/content/help/voice.ogg", params={"voice": "Hello. " * 200})

    assert answer.status_code == 422
    assert "Voice script can have 1000 characters at most" in answer.text
