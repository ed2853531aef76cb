"""From what a flow said (a content key, its variables and buttons) to a message in the
person's own format.

The profile picks the language (English when the item is not translated), easy-read or
plain words, and the format: words (a text message), pictures (a picture card with a short
caption) or voice (a voice note with the words under it). Every message to a person also
offers "Read it to me" and "Show me", which send the same item again as a voice note or a
picture card; their buttons carry the id of the sent_message row that remembers the item.

This step is pure and quick, so it runs inside the unit of work; it returns a Draft, and
bot/media/maker.py makes the card or the voice note afterwards, off the event loop.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from bot.content.discreet import DiscreetWords, load_discreet_words
from bot.content.library import ICONS, KIND_ICON, ContentLibrary, Message
from bot.flows.types import AppointmentView, Button, Say
from bot.rendering.outgoing import (
    CalendarEvent,
    Card,
    Draft,
    Keyboard,
    Media,
    MediaKind,
    Rendered,
    RenderedButton,
    Sent,
    Spoken,
    Venue,
)
from bot.rendering.spoken import spoken_time

__all__ = [
    "Draft",
    "Media",
    "MediaKind",
    "Profile",
    "Rendered",
    "RenderedButton",
    "Renderer",
    "Sent",
]

log = logging.getLogger(__name__)

WORDS, PICTURES, VOICE = "words", "pictures", "voice"
FORMATS = (WORDS, PICTURES, VOICE)
AGAIN = "md"  # callback data "md:<format>:<sent id>": send that message again as <format>
AGAIN_BUTTONS = ((VOICE, "read_to_me"), (PICTURES, "show_me"))
MISSING = "missing_details"


@dataclass(frozen=True)
class Profile:
    """How a person likes their messages."""

    format: str = WORDS
    easy_read: bool = False
    language: str = "en"
    discreet: bool = True  # a first line that tells a lock screen nothing (the item's preview)


PLAIN = Profile()


def again_data(format_: str, sent_id: int) -> str:
    return f"{AGAIN}:{format_}:{sent_id}"


def parse_again(data: str) -> tuple[str, int] | None:
    """("voice" or "pictures", sent id) from "md:voice:12"; None for anything else."""
    prefix, _, rest = data.partition(":")
    format_, _, number = rest.partition(":")
    if prefix != AGAIN or format_ not in (VOICE, PICTURES) or not number.isdigit():
        return None
    return format_, int(number)


def _filled(message: Message, template: str, variables: dict[str, str]) -> str | None:
    try:
        return template.format_map(variables)
    except KeyError as missing:  # log which, never the values
        log.warning(
            "content variable missing",
            extra={"content_key": message.key, "variable": str(missing.args[0])},
        )
        return None


CHOSEN = "@"  # a {choice} that names buttons: "@key @key|their own words"


def _choice(label: str) -> str:
    """A button label without its emoji, for a check-in card (the font has no emoji)."""
    first, _, rest = label.partition(" ")
    return rest if rest and not any(ch.isalnum() for ch in first) else label


def _venue(appointment: AppointmentView | None, variables: dict[str, str]) -> Venue | None:
    if appointment is None or appointment.latitude is None or appointment.longitude is None:
        return None
    title = variables.get("place_short") or appointment.place
    return Venue(appointment.latitude, appointment.longitude, title, appointment.place)


def _number(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


class Renderer:
    def __init__(self, content: ContentLibrary, discreet: DiscreetWords | None = None) -> None:
        self.content = content
        self.discreet = discreet or load_discreet_words()

    def render(
        self,
        say: Say,
        profile: Profile = PLAIN,
        *,
        silent: bool = False,
        sent_id: int | None = None,
        format_: str | None = None,
    ) -> Draft:
        """The Draft for `say`, in `format_` (the profile's format when None). With a
        `sent_id`, the message offers "Read it to me" and "Show me"."""
        language = profile.language
        message = self.content.message(say.key, language)
        variables = dict(say.variables)
        if "time" in variables and "spoken_time" not in variables:
            spoken = spoken_time(self.content, variables["time"], language)
            if spoken is not None:
                variables["spoken_time"] = spoken
        if "place" in variables and "place_short" not in variables:
            variables["place_short"] = self.discreet.short_place(variables["place"])
        if variables.get("choice", "").startswith(CHOSEN):
            variables["choice"] = self._chosen(variables["choice"], language)
        buttons = self._buttons(say.buttons, language)
        if sent_id is not None and not message.words_only:
            buttons += (self._again_row(sent_id, language),)
        silent = silent or say.silent
        plain = _filled(message, message.text, variables)
        if plain is None:  # never "{name}" on a phone: a plain item without variables instead
            fallback = self.content.message(MISSING, language)
            return Draft(Rendered(fallback.text, buttons, silent), key=say.key, sent_id=sent_id)
        words = plain
        if profile.easy_read:
            words = _filled(message, message.easy, variables) or plain
        preview = _filled(message, message.preview, variables) if profile.discreet else None
        if preview:  # what a lock screen shows: the time and the place's short name
            words = f"{preview}\n{words}"
        calendar = self._calendar(say, variables, language)
        rendered = Rendered(
            words, buttons, silent, protect=message.protect, venue=_venue(say.venue, variables)
        )
        draft = Draft(rendered, key=say.key, calendar=calendar, sent_id=sent_id)
        chosen = WORDS if message.words_only else (format_ or profile.format)
        if chosen == PICTURES:
            card = self._card(message, say, variables, language)
            return replace(draft, card=card)
        if chosen == VOICE:
            script = _filled(message, message.voice, variables)
            speech = None if script is None else Spoken(script, language)
            return replace(draft, speech=speech)
        return draft

    def text(self, key: str, language: str | None = None, **variables: str) -> str:
        """Plain words of an item, for notes and button toasts."""
        return self.render(Say(key, variables), Profile(language=language or "en")).words.text

    def _chosen(self, value: str, language: str) -> str:
        """ "@key @key|their words": the buttons' labels (without emoji) and their words."""
        keys, _, words = value.partition("|")
        labels = [
            _choice(self.content.button(key.removeprefix(CHOSEN), language))
            for key in keys.split()
            if key.removeprefix(CHOSEN) in self.content.buttons
        ]
        return ", ".join([*labels, *([words] if words else [])])

    def _buttons(self, rows: tuple[tuple[Button, ...], ...], language: str) -> Keyboard:
        return tuple(
            tuple(RenderedButton(self.content.button(b.label, language), b.data) for b in row)
            for row in rows
        )

    def _again_row(self, sent_id: int, language: str) -> tuple[RenderedButton, ...]:
        return tuple(
            RenderedButton(self.content.button(key, language), again_data(format_, sent_id))
            for format_, key in AGAIN_BUTTONS
        )

    def _card(
        self, message: Message, say: Say, variables: dict[str, str], language: str
    ) -> Card | None:
        spec = message.card
        if spec is None:
            return None
        parts = [spec.title, spec.big, spec.caption or spec.title, spec.top, *spec.small]
        filled = [_filled(message, part, variables) for part in parts]
        if any(part is None for part in filled):
            return None
        title, big, caption, top, *small = (part or "" for part in filled)
        icon = spec.icon
        if icon == KIND_ICON:  # the appointment's kind picks it
            icon = variables.get("kind", "other")
        icon = icon if icon in ICONS else "other"
        choices = tuple(
            _choice(self.content.button(b.label, language)) for row in say.buttons for b in row
        )
        return Card(
            kind=spec.kind,
            icon=icon,
            title=title,
            big=big,
            small=tuple(line for line in small if line),
            caption=caption,
            top=top,
            done=_number(_filled(message, spec.done, variables) or ""),
            total=_number(_filled(message, spec.total, variables) or ""),
            choices=choices if spec.kind == "checkin" else (),
        )

    def _calendar(self, say: Say, variables: dict[str, str], language: str) -> CalendarEvent | None:
        appointment = say.calendar
        if appointment is None:
            return None
        summary = self.content.message("calendar_summary", language)
        alarm = self.content.message("calendar_alarm", language)
        return CalendarEvent(
            appointment_id=appointment.id,
            revision=appointment.revision,
            starts_at=appointment.starts_at,
            place=appointment.place,
            summary=_filled(summary, summary.text, variables) or alarm.text,
            alarm=alarm.text,
        )
