"""One content item in every format, as it would go out, for the dashboard's content
editor: the plain and easy-read words, the Draft of its picture card and of its voice
note (bot/media/maker.py makes the PNG and the audio from them), each format's reading
score and every finding of the writing rules. The real renderer makes all of it.

Until a person is chosen, the {variables} are filled from content/preview_examples.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from bot.content.library import CONTENT_DIR, ContentError, ContentLibrary, Message
from bot.content.loading import read_yaml
from bot.content.overlay import Checked
from bot.content.plain_language.check import Finding
from bot.content.plain_language.reading_ease import Score, score
from bot.content.rules import message_findings
from bot.domain.errors import NotFound
from bot.flows.types import Say
from bot.rendering.outgoing import Draft
from bot.rendering.renderer import PICTURES, PLAIN, VOICE, WORDS, Profile, Renderer

EXAMPLES_FILE = "preview_examples.yaml"


@dataclass(frozen=True)
class Preview:
    key: str
    language: str
    words_only: bool  # coaches' and notes' items: never a card or a voice note
    plain: str  # the words, as a person with plain words gets them
    easy: str  # the words, as a person with easy-read gets them
    card: Draft | None  # MediaMaker.make(card) -> the message with its PNG
    voice: Draft | None  # MediaMaker.make(voice) -> the message with its voice note
    voice_script: str  # the words the voice note says ("" for words only)
    scores: dict[str, Score]  # "text", "easy", "voice": reading ease and its summary
    findings: tuple[Finding, ...]  # problems first


def load_examples(directory: Path = CONTENT_DIR) -> dict[str, str]:
    path = directory / EXAMPLES_FILE
    raw = read_yaml(path, ContentError)
    variables = raw.get("variables")
    if not isinstance(variables, Mapping):
        raise ContentError(f"{path}, line {raw.line_of('variables')}: variables must be a mapping")
    return {str(name): str(value) for name, value in variables.items()}


@cache
def default_examples() -> dict[str, str]:
    return load_examples()


def _with(library: ContentLibrary, message: Message, language: str) -> ContentLibrary:
    """The library with one message in place of its own (an edit not yet saved)."""
    if language == library.language:
        return replace(library, messages={**library.messages, message.key: message})
    translated = library.translations[language]
    translated = replace(translated, messages={**translated.messages, message.key: message})
    return replace(library, translations={**library.translations, language: translated})


def preview(
    library: ContentLibrary,
    key: str,
    profile: Profile = PLAIN,
    variables: Mapping[str, str] | None = None,
    draft: Checked | None = None,
) -> Preview:
    """Every format of `key` in the profile's language, filled with `variables` (a
    person's), or with the examples for any not given. With `draft` (from
    content_edits.check_draft), the words typed but not yet saved. NotFound for an
    unknown key."""
    if draft is not None and draft.message is not None:
        profile = replace(profile, language=draft.language)
        library = _with(library, draft.message, draft.language)
    language = profile.language
    if key not in library.messages:
        raise NotFound(f"no content item {key!r}")
    message = library.message(key, language)
    renderer = Renderer(library)
    say = Say(key, {**default_examples(), **(variables or {})})
    plain = renderer.render(say, replace(profile, easy_read=False), format_=WORDS)
    easy = renderer.render(say, replace(profile, easy_read=True), format_=WORDS)
    card = renderer.render(say, profile, format_=PICTURES)
    voice = renderer.render(say, profile, format_=VOICE)
    scores = {"text": score(message.text, easy=False), "easy": score(message.easy, easy=True)}
    if not message.words_only:
        scores["voice"] = score(message.voice, easy=False)
    return Preview(
        key=key,
        language=language,
        words_only=message.words_only,
        plain=plain.words.text,
        easy=easy.words.text,
        card=card if card.card is not None else None,
        voice=voice if voice.speech is not None else None,
        voice_script=voice.speech.text if voice.speech is not None else "",
        scores=scores,
        findings=draft.findings if draft else tuple(message_findings(message, language=language)),
    )
