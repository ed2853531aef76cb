"""The content library: every word the bot says, in every format, loaded from `content/`.

`content/messages.yaml` is the English library and the fallback for every other language;
`content/messages.<language>.yaml` holds translations, item by item. Loading checks the
structure and names the file and line of any problem, so a broken library stops start-up
with a message a coach can act on. The writing targets (length, easy-read sentences,
reading ease, idioms) are bot/content/rules.py, which tests/unit/test_content.py runs over
every item. Edits made in the dashboard are laid over the files by bot/content/overlay.py.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.content.loading import Located, read_yaml

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
BASE_LANGUAGE = "en"

# The only {variables} a message may use; anything else is a typo that would reach a person.
VARIABLES = frozenset(
    {"name", "date", "time", "place", "with", "coach", "ref", "kind", "detail", "choice"}
    | {"goal", "step", "done", "total", "text"}  # goals and steps; a coach's own words
    | {"spoken_time"}  # made by the renderer from {time}, for voice scripts
    | {"place_short"}  # made by the renderer from {place}: its name, with no telling words
    | {"travel_note", "journey_url", "map_url"}  # how to get there: the coach's note, links
)
MAX_MESSAGE = 200
MAX_BUTTON = 20
CARD_KINDS = ("appointment", "nudge", "checkin", "progress")
# Icons a card may name. An appointment card may say "{kind}": the appointment's kind
# picks its icon through KIND_ICONS (bot/media/icons.py draws each of these).
ICONS = frozenset(
    {"probation", "police", "gp", "jobcentre", "court", "coaching", "other"}
    | {"smile", "lock", "question", "check", "clock", "bell", "moon", "pin", "heart"}
    | {"phone", "pause", "play", "star", "calendar", "picture", "speaker"}
)
KIND_ICON = "{kind}"
MAX_SMALL_LINES = 4
SPOKEN_TIME_KEYS = (
    "on_the_hour",
    "few_past",
    "past",
    "morning",
    "afternoon",
    "evening",
    "midday",
    "midnight",
)
SPOKEN_TIME_VARIABLES = frozenset({"hour", "minute", "time"})


class ContentError(Exception):
    """A content file is missing or wrong; the message names the file (and the line)."""


@dataclass(frozen=True)
class CardSpec:
    """A picture card, as written: every field is a template."""

    kind: str
    icon: str
    title: str
    big: str
    small: tuple[str, ...] = ()
    caption: str = ""  # the words under the picture; the title when empty
    top: str = ""  # appointment cards: the date, above the big time
    done: str = ""  # progress cards: steps done, of total
    total: str = ""

    def templates(self) -> tuple[str, ...]:
        fields = (self.title, self.big, *self.small, self.caption, self.top, self.done)
        return (*fields, self.total, *([self.icon] if self.icon == KIND_ICON else []))


@dataclass(frozen=True)
class Message:
    key: str
    text: str
    easy: str
    voice: str
    card: CardSpec | None = None
    line: int = 0
    words_only: bool = False  # coach alerts, notes, unlinked chats: never a card or a voice
    # Formats the file does not give yet (easy, voice, card). Such an item still loads, so a
    # new message never stops the bot: the words stand in (easy-read and voice read the plain
    # text; pictures get the words). tests/unit/test_content.py requires every format.
    missing: tuple[str, ...] = ()
    # A first line put above the words when the person wants discreet previews: what a
    # lock screen shows ("Tomorrow {time}, {place_short}"). Set in the file alone.
    preview: str = ""
    protect: bool = False  # theirs alone: the channel is asked to stop forwarding and saving

    def templates(self) -> tuple[str, ...]:
        card = self.card.templates() if self.card else ()
        return (self.text, self.easy, self.voice, *card, *([self.preview] if self.preview else []))

    def variables(self) -> set[str]:
        return {name for text in self.templates() for name in template_variables(text)}


@dataclass(frozen=True)
class ContentLibrary:
    version: str
    language: str
    messages: dict[str, Message]
    buttons: dict[str, str]
    alert_kinds: dict[str, str] = field(default_factory=dict)
    commands: dict[str, str] = field(default_factory=dict)
    spoken_time: dict[str, str] = field(default_factory=dict)
    translations: dict[str, ContentLibrary] = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, ...]:
        return (self.language, *sorted(self.translations))

    def _in(self, language: str | None) -> ContentLibrary | None:
        return self.translations.get(language or "")

    def message(self, key: str, language: str | None = None) -> Message:
        """The message in `language` when it is translated, else in English."""
        translated = self._in(language)
        if translated is not None and key in translated.messages:
            return translated.messages[key]
        try:
            return self.messages[key]
        except KeyError:
            raise KeyError(f"no message {key!r} in content version {self.version}") from None

    def button(self, key: str, language: str | None = None) -> str:
        translated = self._in(language)
        if translated is not None and key in translated.buttons:
            return translated.buttons[key]
        try:
            return self.buttons[key]
        except KeyError:
            raise KeyError(f"no button {key!r} in content version {self.version}") from None

    def spoken(self, key: str, language: str | None = None) -> str:
        translated = self._in(language)
        if translated is not None and key in translated.spoken_time:
            return translated.spoken_time[key]
        return self.spoken_time[key]


def template_variables(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def fill(text: str, variables: dict[str, str]) -> str:
    """Put the variables into the text; a missing one raises KeyError."""
    return text.format_map(variables)


class _Checker:
    """Turns one file's raw mappings into library items, naming the line of each problem."""

    def __init__(self, path: Path | str, allowed: frozenset[str] = VARIABLES) -> None:
        self.path = path  # a file; "" for items that come from elsewhere (an edit)
        self.allowed = allowed

    def error(self, line: int, problem: str) -> ContentError:
        return ContentError(f"{self.path}, line {line}: {problem}" if self.path else problem)

    def text(
        self, owner: Located, key: str, where: str, *, optional: bool = False, at: int = 0
    ) -> str:
        """The text at `key`; its line, or `at` (the owner's key) when it is missing."""
        value = owner.get(key)
        line = owner.lines.get(key, at or owner.line)
        if value is None and optional:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.error(line, f"{where} must be non-empty text")
        try:
            names = template_variables(value)
        except ValueError as problem:  # "{name" or "}"
            raise self.error(line, f"{where} has a broken {{variable}}: {problem}") from None
        unknown = names - self.allowed
        if unknown:
            raise self.error(line, f"{where} uses unknown variables {sorted(unknown)}")
        return value.strip()

    def table(self, raw: Located, section: str) -> dict[str, str]:
        items = raw.get(section)
        if items is None:
            return {}
        if not isinstance(items, Located):
            raise self.error(raw.line_of(section), f"{section} must be a mapping")
        return {str(k): self.text(items, k, f"{section} {k!r}") for k in items}

    def card(self, item: Located, key: str, line: int) -> CardSpec:
        raw = item.get("card")
        if not isinstance(raw, Located):
            raise self.error(item.lines.get("card", line), f"message {key!r} has no card")
        where = f"message {key!r} card"
        kind = self.text(raw, "kind", f"{where} kind")
        if kind not in CARD_KINDS:
            raise self.error(raw.line_of("kind"), f"{where} kind must be one of {CARD_KINDS}")
        icon = self.text(raw, "icon", f"{where} icon")
        if icon not in ICONS and icon != KIND_ICON:
            raise self.error(raw.line_of("icon"), f"{where} icon {icon!r} is not a known icon")
        small = raw.get("small") or []
        if not isinstance(small, list) or len(small) > MAX_SMALL_LINES:
            raise self.error(
                raw.line_of("small"), f"{where} small must be a list of at most 4 lines"
            )
        lines = Located({str(i): line for i, line in enumerate(small)}, raw.line_of("small"))
        return CardSpec(
            kind=kind,
            icon=icon,
            title=self.text(raw, "title", f"{where} title"),
            big=self.text(raw, "big", f"{where} big"),
            small=tuple(self.text(lines, str(i), f"{where} small line") for i in range(len(small))),
            caption=self.text(raw, "caption", f"{where} caption", optional=True),
            top=self.text(raw, "top", f"{where} top", optional=kind != "appointment"),
            done=self.text(raw, "done", f"{where} done", optional=kind != "progress"),
            total=self.text(raw, "total", f"{where} total", optional=kind != "progress"),
        )

    def message(self, key: str, item: Any, line: int) -> Message:
        if not isinstance(item, Located):
            raise self.error(line, f"message {key!r} must be a mapping with 'text'")
        text = self.text(item, "text", f"message {key!r} text", at=line)
        preview = self.text(item, "preview", f"message {key!r} preview", at=line, optional=True)
        if "\n" in preview:
            raise self.error(item.line_of("preview"), f"message {key!r} preview is one line")
        protect = item.get("protect") is True
        if item.get("words_only") is True:
            return Message(
                key, text, text, text, None, line, True, preview=preview, protect=protect
            )
        missing = tuple(name for name in ("easy", "voice", "card") if name not in item)
        easy = self.text(item, "easy", f"message {key!r} easy-read text", at=line, optional=True)
        voice = self.text(item, "voice", f"message {key!r} voice script", at=line, optional=True)
        card = self.card(item, key, line) if "card" in item else None
        return Message(
            key,
            text,
            easy or text,
            voice or text,
            card,
            line,
            missing=missing,
            preview=preview,
            protect=protect,
        )


def parse_message(key: str, item: Located) -> Message:
    """One message from its raw fields (as YAML gives them: an edit), checked exactly as a
    file's item is; ContentError says what is wrong, naming the field."""
    return _Checker("").message(key, item, 0)


def parse_text(value: object, where: str) -> str:
    """One piece of words (a button label), checked as a file's is."""
    return _Checker("").text(Located({"value": value}), "value", where)


def _load_file(path: Path, *, base: bool) -> ContentLibrary:
    raw = read_yaml(path, ContentError)
    check = _Checker(path)
    items = raw.get("messages") or Located({}, raw.line)
    if not isinstance(items, Located):
        raise check.error(raw.line_of("messages"), "messages must be a mapping")
    messages = {str(k): check.message(str(k), items[k], items.line_of(k)) for k in items}
    buttons = check.table(raw, "buttons")
    spoken = _Checker(path, SPOKEN_TIME_VARIABLES).table(raw, "spoken_time")
    if base:
        if not messages or not buttons:
            raise ContentError(f"{path}: no messages or no buttons")
        missing = [key for key in SPOKEN_TIME_KEYS if key not in spoken]
        if missing:
            raise check.error(raw.line_of("spoken_time") or 1, f"spoken_time lacks {missing}")
    return ContentLibrary(
        version=str(raw.get("version", "unversioned")),
        language=str(raw.get("language", BASE_LANGUAGE)),
        messages=messages,
        buttons=buttons,
        alert_kinds=check.table(raw, "alert_kinds"),
        commands=check.table(raw, "commands"),
        spoken_time=spoken,
    )


def load_content(directory: Path = CONTENT_DIR) -> ContentLibrary:
    """Load and check the library and its translations; raise ContentError naming the
    file and line of any problem."""
    base = _load_file(directory / "messages.yaml", base=True)
    translations: dict[str, ContentLibrary] = {}
    for path in sorted(directory.glob("messages.*.yaml")):
        language = path.name.removeprefix("messages.").removesuffix(".yaml")
        translated = _load_file(path, base=False)
        if translated.language != language:
            raise ContentError(f"{path}: says language {translated.language!r}, not {language!r}")
        unknown = (translated.messages.keys() - base.messages.keys()) | (
            translated.buttons.keys() - base.buttons.keys()
        )
        if unknown:
            raise ContentError(f"{path}: translates keys English does not have: {sorted(unknown)}")
        translations[language] = translated
    return ContentLibrary(
        version=base.version,
        language=base.language,
        messages=base.messages,
        buttons=base.buttons,
        alert_kinds=base.alert_kinds,
        commands=base.commands,
        spoken_time=base.spoken_time,
        translations=translations,
    )
