"""The coach's content tools on the command line (`waymark content ...`, `waymark person
set`), and a broken content library stopping start-up with its file and line."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from bot.content.library import CONTENT_DIR, load_content
from tests.support.cli import Cli, future


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(tmp_path, monkeypatch).with_person("IOM-0042", "Southwark")


def test_content_list_names_every_item_and_its_formats(cli: Cli) -> None:
    out = cli.ok("content", "list")

    assert out.splitlines()[0].startswith("content version ")
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "words, easy-read, voice, appointment card" in lines["reminder_evening"]
    assert "words only" in lines["coach_alert"]
    assert set(lines) == set(load_content().messages)


def test_content_show_prints_every_format_as_written(cli: Cli) -> None:
    out = cli.ok("content", "show", "reminder_evening")

    assert "text:    {name}, tomorrow: {date}, {time}, {place}. You will see {with}." in out
    assert "voice:   {name}, tomorrow, {date}, at {spoken_time}." in out
    assert "card:    appointment, icon {kind}" in out
    assert "  big:     {time}" in out
    assert "  caption: {name}, tomorrow at {time}" in out
    assert "Error: no content item 'nope'" in cli.fails("content", "show", "nope")
    assert "no content in language 'fr'" in cli.fails("content", "show", "help", "--language", "fr")


def test_content_preview_writes_what_the_person_would_get(cli: Cli, tmp_path: Path) -> None:
    cli.ok(
        "appointment",
        "add",
        "IOM-0042",
        "--at",
        future(days=3, hour=14),
        "--place",
        "Camberwell Office, 45 Camberwell Road",
        "--with",
        "Jo",
        "--kind",
        "court",
    )
    out = tmp_path / "preview"

    written = cli.ok(
        "content", "preview", "reminder_evening", "--ref", "IOM-0042", "--out", str(out)
    )

    files = [Path(line) for line in written.splitlines()]
    assert [f.name for f in files] == [
        "reminder_evening.txt",
        "reminder_evening.png",
        "reminder_evening.ogg",  # espeak-ng: gTTS is off unless SPEECH_GTTS is set
    ]
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("Tomorrow 14:00, Camberwell\nSam, tomorrow: ")
    assert ", 14:00, Camberwell Office, 45 Camberwell Road. You will see Jo." in text
    assert Image.open(io.BytesIO(files[1].read_bytes())).size[0] == 1080
    assert files[2].read_bytes().startswith(b"OggS")


def test_content_preview_without_the_details_makes_only_the_words(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "preview"

    written = cli.ok(
        "content", "preview", "reminder_evening", "--ref", "IOM-0042", "--out", str(out)
    )

    assert "some details are missing" in written
    assert (
        (out / "reminder_evening.txt")
        .read_text(encoding="utf-8")
        .startswith("I have a message for you")
    )
    assert not (out / "reminder_evening.png").exists()


def test_person_set_changes_the_format_easy_read_and_language(cli: Cli) -> None:
    assert cli.ok(
        "person", "set", "iom-0042", "--format", "pictures", "--easy-read", "no", "--language", "en"
    ) == ("person IOM-0042: pictures, easy-read no, language en\n")
    assert cli.ok("person", "set", "IOM-0042", "--format", "voice") == (
        "person IOM-0042: voice, easy-read no, language en\n"
    )

    assert "--format must be words, pictures or voice" in cli.fails(
        "person", "set", "IOM-0042", "--format", "video"
    )
    assert "--easy-read must be yes or no" in cli.fails(
        "person", "set", "IOM-0042", "--easy-read", "maybe"
    )
    assert "no content in language 'fr'; the library has: en" in cli.fails(
        "person", "set", "IOM-0042", "--language", "fr"
    )
    assert "give at least one of" in cli.fails("person", "set", "IOM-0042")
    assert "no person with the reference" in cli.fails(
        "person", "set", "IOM-9", "--format", "words"
    )


def test_a_broken_content_file_stops_start_up_naming_file_and_line(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, library)
    path = library / "messages.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    where = next(i for i, line in enumerate(lines) if line.strip() == "reply_coming:")
    lines[where + 3] = lines[where + 3].replace('"Thank you. See you there."', '"Hi {nmae}."')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("WAYMARK_CONTENT_DIR", str(library))

    error = cli.fails("content", "list")

    assert error.startswith(f"Error: {path}, line {where + 4}: message 'reply_coming' voice")
    assert "unknown variables ['nmae']" in error
    path.unlink()
    assert f"Error: {path}: the content file is missing" in cli.fails("content", "list")
