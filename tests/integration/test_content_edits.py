"""Editing the content library (the dashboard's content editor, on a real database): an
edit is saved and kept, checked exactly like the files, the newest wins, the file's words
can be restored, and the next message a person gets uses the edited words."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.content.library import ContentLibrary, load_content
from bot.domain.errors import Invalid, NotFound
from bot.flows.types import Say
from bot.media.cache import DiskCache
from bot.media.cards import CardDrawer
from bot.media.maker import MediaMaker
from bot.media.speech import Speech
from bot.models import ContentEdit
from bot.rendering.outgoing import MediaKind
from bot.rendering.preview import preview
from bot.rendering.renderer import Profile, Renderer
from bot.services import accounts, content_edits
from bot.services.content_edits import EditRefused, button_key
from bot.storage import UnitOfWork, committed
from tests.support.database import ON_EVERY_DATABASE
from tests.support.fakes import FixedClock
from tests.support.speech import MemoryEngine

pytestmark = ON_EVERY_DATABASE

FILES = load_content()
HELP = FILES.message("help")
NEW_HELP = (
    "I send reminders of appointments. Send /next to see the next one. Your coach is {coach}."
)
NEW_EASY = "I send reminders. Send /next to see the next one. Your coach is {coach}."


@pytest.fixture
def editor(engine: Engine, clock: FixedClock) -> int:
    with committed(partial(UnitOfWork, engine)) as uow:
        coach = accounts.add_account(uow, clock, email="priya@waymark.test", name="Priya")
    assert coach.id is not None
    return coach.id


def save(
    engine: Engine, clock: FixedClock, editor: int, key: str, language: str = "en", **fields: Any
) -> ContentLibrary:
    with committed(partial(UnitOfWork, engine)) as uow:
        return content_edits.save(
            uow, clock, FILES, key=key, fields=fields, edited_by=editor, language=language
        )


def rows(engine: Engine) -> list[ContentEdit]:
    with Session(engine) as session:
        return list(session.exec(select(ContentEdit)).all())


def at_start(engine: Engine) -> ContentLibrary:
    with Session(engine) as session:
        return content_edits.effective_library(session, FILES)


def test_an_edit_is_saved_and_laid_over_the_files(
    engine: Engine, clock: FixedClock, editor: int
) -> None:
    library = save(engine, clock, editor, "help", text=NEW_HELP)

    assert library.message("help").text == NEW_HELP
    assert library.message("help").easy == HELP.easy  # a field not edited keeps the file's
    form = content_edits.words_of(library, "help")
    assert (form["text"], form["easy"], form["card"]["small"]) == (
        NEW_HELP,
        HELP.easy,
        list(HELP.card.small),  # type: ignore[union-attr]
    )
    assert at_start(engine).message("help").text == NEW_HELP  # as the next start sees it
    assert FILES.message("help").text == HELP.text  # the files' library is left alone
    (row,) = rows(engine)
    assert (row.key, row.language, row.fields, row.edited_by) == (
        "help",
        "en",
        {"text": NEW_HELP},
        editor,
    )
    assert row.edited_at == clock.now()


def test_the_renderer_uses_the_edited_words_for_the_next_message(
    engine: Engine, clock: FixedClock, editor: int
) -> None:
    save(engine, clock, editor, "help", text=NEW_HELP, easy=NEW_EASY)
    renderer = Renderer(at_start(engine))
    say = Say("help", {"coach": "Priya"})

    assert renderer.render(say).words.text == NEW_HELP.replace("{coach}", "Priya")
    assert renderer.render(say, Profile(easy_read=True)).words.text == NEW_EASY.replace(
        "{coach}", "Priya"
    )


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"text": "Hello {nmae}."}, "text", "unknown variables ['nmae']"),
        ({"easy": "Your coach is {coach"}, "easy", "broken {variable}"),
        ({"voice": "   "}, "voice", "voice script must be non-empty text"),
        ({"card": {"small": ["a", "b", "c", "d", "e"]}}, "card small", "at most 4 lines"),
        ({"card": {"icon": "unicorn"}}, "card", "a card's words are"),
        ({"colour": "red"}, "colour", "no such field"),
        ({"text": "Your coach is {coach}. Please touch base."}, "text", "is an idiom"),
        ({"text": "Your coach is {coach}. Do NOT wait."}, "text", "reads as shouting"),
        ({"easy": "Your coach is {coach}. " + "Word " * 15 + "end."}, "easy", "has 16 words"),
        ({"text": "Your coach is {coach}. " + "Yes. " * 40}, "text", "under 200"),
        (
            {"text": "Send /next. Your coach is {coach} at {place}."},
            "text",
            "exactly the {variables}",
        ),
        ({"text": "Send /next to see your next one."}, "text", "exactly the {variables}"),
    ],
)
def test_an_invalid_edit_is_refused_naming_its_field_and_nothing_is_saved(
    engine: Engine, clock: FixedClock, editor: int, fields: dict[str, Any], field: str, says: str
) -> None:
    with pytest.raises(EditRefused) as refused:
        save(engine, clock, editor, "help", **fields)

    assert isinstance(refused.value, Invalid)
    assert refused.value.field == field
    assert says in str(refused.value)
    assert rows(engine) == []
    assert at_start(engine).message("help") == HELP


def test_variables_outside_the_allow_list_are_refused_in_every_format(
    engine: Engine, clock: FixedClock, editor: int
) -> None:
    for fields in ({"voice": "Your coach is {password}."}, {"card": {"title": "{secret}"}}):
        with pytest.raises(EditRefused, match="unknown variables"):
            save(engine, clock, editor, "help", **fields)

    assert rows(engine) == []


def test_reading_ease_below_the_target_is_refused_with_every_finding(
    engine: Engine, clock: FixedClock, editor: int
) -> None:
    hard = (
        "Unfortunately, consideration of circumstances necessitates additional documentation. "
        "Your coach is {coach}."
    )
    with pytest.raises(EditRefused) as refused:
        save(engine, clock, editor, "help", text=hard)

    assert refused.value.field == "text"
    assert str(refused.value).startswith("plain words: Reading ease is ")
    assert [f.code for f in refused.value.findings] == ["reading_ease"]
    assert rows(engine) == []


def test_the_newest_edit_wins_and_carries_the_earlier_changes(
    engine: Engine, clock: FixedClock, editor: int
) -> None:
    save(engine, clock, editor, "help", text=NEW_HELP)
    clock.advance(minutes=5)
    library = save(engine, clock, editor, "help", easy=NEW_EASY)

    assert (library.message("help").text, library.message("help").easy) == (NEW_HELP, NEW_EASY)
    clock.advance(minutes=5)
    card: dict[str, Any] = {"card": {"big": "Reminders of appointments"}}
    library = save(engine, clock, editor, "help", text=HELP.text, **card)

    assert library.message("help").text == HELP.text  # the file's words again
    assert library.message("help").easy == NEW_EASY
    assert library.message("help").card.big == "Reminders of appointments"  # type: ignore[union-attr]
    assert library.message("help").card.small == HELP.card.small  # type: ignore[union-attr]
    with Session(engine) as session:
        history = content_edits.history(session, "help")
    assert [line.fields for line in history] == [
        {"easy": NEW_EASY, **card},  # newest first; only what differs from the file
        {"text": NEW_HELP, "easy": NEW_EASY},
        {"text": NEW_HELP},
    ]
    assert {line.edited_by for line in history} == {"Priya"}


def test_saving_the_same_words_again_adds_nothing(
    engine: Engine, clock: FixedClock, editor: int
) -> None:
    save(engine, clock, editor, "help", text=HELP.text)  # the file's own words
    assert rows(engine) == []
    save(engine, clock, editor, "help", text=NEW_HELP)
    save(engine, clock, editor, "help", text=NEW_HELP)
    assert len(rows(engine)) == 1


def test_revert_restores_the_files_words_and_keeps_the_history(
    engine: Engine, clock: FixedClock, editor: int
) -> None:
    save(engine, clock, editor, "help", text=NEW_HELP)
    clock.advance(minutes=1)
    with committed(partial(UnitOfWork, engine)) as uow:
        library = content_edits.revert(uow, clock, FILES, key="help", edited_by=editor)

    assert library.message("help") == HELP
    assert at_start(engine).message("help") == HELP
    with Session(engine) as session:
        history = content_edits.history(session, "help")
        assert not content_edits.is_edited(session, "help")
    assert [(line.restores_file, line.fields) for line in history] == [
        (True, {}),
        (False, {"text": NEW_HELP}),
    ]
    # An edit after the revert starts again from the file's words.
    assert save(engine, clock, editor, "help", easy=NEW_EASY).message("help").text == HELP.text


def test_a_button_label_is_edited_and_held_to_the_button_rules(
    engine: Engine, clock: FixedClock, editor: int
) -> None:
    library = save(engine, clock, editor, button_key("coming"), label="✅ Yes, I am coming")

    assert library.button("coming") == "✅ Yes, I am coming"
    assert content_edits.words_of(library, button_key("coming")) == {"label": "✅ Yes, I am coming"}
    assert content_edits.words_of(FILES, button_key("coming")) == {"label": "✅ I am coming"}
    assert Renderer(library).text("you_said", choice=library.button("coming")).endswith("coming")
    for label, problem in (("✅ I am coming to it now", "20 or fewer"), ("I am coming", "emoji")):
        with pytest.raises(EditRefused, match=problem) as refused:
            save(engine, clock, editor, button_key("coming"), label=label)
        assert refused.value.field == "label"
    assert len(rows(engine)) == 1


def test_words_only_items_have_only_their_words_to_edit(
    engine: Engine, clock: FixedClock, editor: int
) -> None:
    with pytest.raises(EditRefused, match="no such field"):
        save(engine, clock, editor, "old_button", easy="Old.")

    text = "This button is old. Send /help to see what I can do now."
    assert save(engine, clock, editor, "old_button", text=text).message("old_button").text == text


def test_an_unknown_item_or_language_is_refused(
    engine: Engine, clock: FixedClock, editor: int
) -> None:
    with pytest.raises(NotFound):
        save(engine, clock, editor, "no_such_item", text="Hello.")
    with pytest.raises(NotFound):
        content_edits.words_of(FILES, "no_such_item")
    with pytest.raises(NotFound):
        save(engine, clock, editor, button_key("no_such_button"), label="✅ Yes")
    with pytest.raises(Invalid, match="no language 'fr'"):
        save(engine, clock, editor, "help", language="fr", text=NEW_HELP)
    assert rows(engine) == []


def test_an_edit_the_files_no_longer_allow_is_left_out_at_start(
    engine: Engine, clock: FixedClock, editor: int, caplog: pytest.LogCaptureFixture
) -> None:
    # As if the files had changed since these were saved: a variable retired, an item gone,
    # an item no longer given {name}.
    saved = [
        ("help", {"text": "Hello {retired}."}),
        ("gone", {"text": "Hi."}),
        ("reply_coming", {"text": "Thank you, {name}. See you there."}),
    ]
    with Session(engine) as session:
        for key, fields in saved:
            session.add(
                ContentEdit(key=key, fields=fields, edited_by=editor, edited_at=clock.now())
            )
        session.commit()

    with caplog.at_level(logging.WARNING, logger="bot.content.overlay"):
        library = at_start(engine)

    assert library.message("help") == HELP
    assert library.message("reply_coming") == FILES.message("reply_coming")
    keys = [getattr(record, "content_key", None) for record in caplog.records]
    assert keys == ["help", "gone", "reply_coming"]


def test_check_draft_shows_findings_without_saving(
    engine: Engine, clock: FixedClock, editor: int
) -> None:
    save(engine, clock, editor, "help", text=NEW_HELP)
    with Session(engine) as session:
        checked = content_edits.check_draft(
            session, FILES, "help", {"easy": "Hang in there. {coach}."}
        )

    assert checked.message is not None
    assert checked.message.text == NEW_HELP  # the saved edit, with the draft over it
    assert [(f.field, f.code) for f in checked.problems] == [("easy", "idiom")]
    assert len(rows(engine)) == 1


async def test_the_preview_of_an_edit_gives_every_format_the_media_maker_can_make(
    engine: Engine, clock: FixedClock, editor: int, tmp_path: Path
) -> None:
    library = save(engine, clock, editor, "help", text=NEW_HELP, easy=NEW_EASY)
    speech = MemoryEngine()
    maker = MediaMaker(CardDrawer(), Speech([speech], DiskCache(tmp_path), clock), clock)

    shown = preview(library, "help", Profile(easy_read=True), {"coach": "Jo"})

    assert shown.plain == NEW_HELP.replace("{coach}", "Jo")
    assert shown.easy == NEW_EASY.replace("{coach}", "Jo")
    assert shown.card is not None
    assert shown.voice is not None
    card = await maker.make(shown.card)
    voice = await maker.make(shown.voice)
    assert card.media is not None
    assert voice.media is not None
    assert (card.media.kind, card.media.data[:4]) == (MediaKind.PHOTO, b"\x89PNG")
    assert voice.media.kind is MediaKind.VOICE
    assert shown.voice_script == HELP.voice.replace("{coach}", "Jo")
