"""`waymark content ...`: the content library for coaches, until the dashboard lands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.context import reports_errors, waymark, work
from bot.content.library import ContentLibrary, Message
from bot.domain.errors import Invalid, NotFound
from bot.flows.reminder_replies import appointment_variables
from bot.flows.types import Say
from bot.media.cards import CardError
from bot.media.speech import SpeechError
from bot.rendering.renderer import PICTURES, VOICE, WORDS, Renderer
from bot.services import people
from bot.services.alerts import coach_of
from bot.services.appointments import upcoming
from bot.services.flow_views import appointment_view, profile_of

app = typer.Typer(help="The content library: every message in every format.", no_args_is_help=True)
SHORT = 60


def _formats(message: Message) -> str:
    if message.words_only:
        return "words only"
    if message.missing:
        return f"not yet written: {', '.join(message.missing)}"
    kind = message.card.kind if message.card else ""
    return f"words, easy-read, voice, {kind} card"


def _message(content: ContentLibrary, key: str, language: str | None) -> Message:
    if key not in content.messages:
        raise NotFound(f"no content item {key!r}; `waymark content list` shows them all")
    if language is not None and language not in content.languages:
        have = ", ".join(content.languages)
        raise Invalid(f"no content in language {language!r}; the library has: {have}")
    return content.message(key, language)


@app.command("list")
@reports_errors
def content_list() -> None:
    """Every item: its key, its formats and the start of its words."""
    content = waymark(migrate=False).content
    typer.echo(f"content version {content.version}; languages: {', '.join(content.languages)}")
    for key, message in sorted(content.messages.items()):
        text = " ".join(message.text.split())  # one line per item, whatever its line breaks
        text = text if len(text) <= SHORT else text[: SHORT - 3] + "..."
        typer.echo(f"{key:<22} {_formats(message):<42} {text}")


@app.command("show")
@reports_errors
def content_show(
    key: Annotated[str, typer.Argument(help="The item's key, from `waymark content list`.")],
    language: Annotated[str | None, typer.Option(help="A language; English by default.")] = None,
) -> None:
    """One item in every format, as written (with its {variables})."""
    message = _message(waymark(migrate=False).content, key, language)
    typer.echo(f"key:     {message.key}")
    typer.echo(f"text:    {message.text}")
    if message.words_only:
        typer.echo("formats: words only (never sent as a picture or a voice note)")
        return
    if message.missing:
        typer.echo(f"not yet written: {', '.join(message.missing)} (the words stand in)")
    typer.echo(f"easy:    {message.easy}")
    typer.echo(f"voice:   {message.voice}")
    card = message.card
    if card is None:
        return
    typer.echo(f"card:    {card.kind}, icon {card.icon}")
    typer.echo(f"  title:   {card.title}")
    if card.top:
        typer.echo(f"  top:     {card.top}")
    typer.echo(f"  big:     {card.big}")
    for line in card.small:
        typer.echo(f"  small:   {line}")
    typer.echo(f"  caption: {card.caption or card.title}")


@app.command("preview")
@reports_errors
def content_preview(
    key: Annotated[str, typer.Argument(help="The item's key, from `waymark content list`.")],
    ref: Annotated[str, typer.Option(help="Whose name, language and next appointment to use.")],
    out: Annotated[Path, typer.Option(help="The folder to write the files into.")],
) -> None:
    """Write what this person would get: the words (.txt), the card (.png) and the voice
    note (.ogg or .mp3), in their language and with their easy-read choice."""
    app = waymark()
    with work(app) as uow:
        person = people.person_by_ref(uow.session, ref)
        variables = {"name": person.preferred_name, "coach": coach_of(uow.session, person).name}
        ahead = upcoming(uow.session, app.clock, person)
        profile = profile_of(person)
    message = _message(app.content, key, None)
    if ahead:
        variables |= appointment_variables(appointment_view(ahead[0]))
    assert app.media is not None
    renderer = Renderer(app.content)
    say = Say(key, variables)
    out.mkdir(parents=True, exist_ok=True)
    words = renderer.render(say, profile, format_=WORDS).words.text
    written = [_write(out / f"{key}.txt", (words + "\n").encode("utf-8"))]
    card = renderer.render(say, profile, format_=PICTURES).card
    speech = renderer.render(say, profile, format_=VOICE).speech
    try:
        if card is not None:
            written.append(_write(out / f"{key}.png", app.media.cards.png(card)))
        if speech is not None:
            audio = app.media.speech.say_now(speech.text, speech.language)
            written.append(_write(out / f"{key}{audio.extension}", audio.data))
    except (CardError, SpeechError) as error:
        typer.secho(f"Warning: {error}", err=True, fg=typer.colors.YELLOW)
    if not message.words_only and (card is None or speech is None):
        typer.echo("(some details are missing, so only the words were made)")
    for path in written:
        typer.echo(str(path))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
