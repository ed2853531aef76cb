"""The writing rules every content item meets, in one place: the tests of content/ and the
dashboard's content editor run the same ones, so an edit is held to what a file is.

Per item: the plain-language check (bot/content/plain_language/check.py) over each of its
words, with the right targets (easy-read words are held to the easy-read ones); every
format written; the same {variables} in the plain and easy-read words, and none in a voice
note or a card that the words lack (so a card or a voice note never says less); voice
notes say times in words; cards short enough to read at a glance. Per button: its label.
An item accepted below the reading-ease target (content/plain_language.yaml) gets advice
there instead.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.content.library import KIND_ICON, CardSpec, Message, template_variables
from bot.content.plain_language.check import ENGLISH, Finding, Kind, Severity, check
from bot.content.plain_language.word_lists import Rules, default_rules

# Longest card lines, in characters, counting a {variable} as a short word.
MAX_CARD_TITLE, MAX_CARD_BIG, MAX_CARD_SMALL, MAX_CAPTION = 32, 40, 60, 60
# Variables the renderer adds for formats other than words: the spoken time, and the
# appointment's kind (which picks a card's icon).
FORMAT_EXTRAS = frozenset({"spoken_time", "kind"})
FORMAT_NAMES = {"easy": "easy-read words", "voice": "voice script", "card": "picture card"}


def _problem(code: str, field: str, message: str, part: str) -> Finding:
    return Finding(code, Severity.PROBLEM, message, part, field)


def _checked(
    field: str, text: str, *, easy: bool, kind: Kind, language: str, rules: Rules
) -> list[Finding]:
    found = check(text, easy=easy, kind=kind, language=language, rules=rules)
    return [replace(finding, field=field) for finding in found]


def card_length(text: str) -> int:
    return len(re.sub(r"\{\w+\}", "Sam", text))


def card_lines(card: CardSpec) -> list[tuple[str, str, int]]:
    """(field, words, longest) for each line of words on a card."""
    lines = [("card title", card.title, MAX_CARD_TITLE), ("card big", card.big, MAX_CARD_BIG)]
    lines += [(f"card small {i + 1}", line, MAX_CARD_SMALL) for i, line in enumerate(card.small)]
    lines += [("card caption", card.caption, MAX_CAPTION)] if card.caption else []
    return lines + ([("card top", card.top, MAX_CARD_SMALL)] if card.top else [])


def _card(card: CardSpec, language: str, rules: Rules) -> list[Finding]:
    found = []
    for field, text, longest in card_lines(card):
        found += _checked(field, text, easy=False, kind="line", language=language, rules=rules)
        if card_length(text) > longest:
            message = (
                f"This card line has {card_length(text)} characters. "
                f"It needs {longest} or fewer, to read at a glance."
            )
            found.append(_problem("card_length", field, message, text))
    if card.kind == "appointment" and "{time}" in card.big:
        if card.top != "{date}" or not card.small or card.small[0] != "{place}":
            message = "An appointment card shows {date} on top, {time} big, then {place}."
            found.append(_problem("card_order", "card", message, card.big))
        if card.icon != KIND_ICON:
            message = "An appointment card's icon is {kind}: the appointment's kind picks it."
            found.append(_problem("card_order", "card icon", message, card.icon))
    return found


def _variables(message: Message) -> list[Finding]:
    needed = template_variables(message.text)
    found = []
    easy = template_variables(message.easy)
    if easy != needed:
        differ = ", ".join(f"{{{name}}}" for name in sorted(easy ^ needed))
        text = f"The easy-read words need the same {{variables}} as the plain words: {differ}."
        found.append(_problem("variables", "easy", text, message.easy))
    card = message.card.templates() if message.card else ()
    for field, template in (("voice", message.voice), *(("card", t) for t in card)):
        extra = template_variables(template) - needed - FORMAT_EXTRAS
        if extra:
            names = ", ".join(f"{{{name}}}" for name in sorted(extra))
            text = f"This uses {names}, which the plain words do not have: it would say more."
            found.append(_problem("variables", field, text, template))
    if "spoken_time" in message.variables() and "time" not in needed:
        text = "{spoken_time} is made from {time}: the plain words need {time} too."
        found.append(_problem("variables", "text", text, message.text))
    return found


def _accept(found: list[Finding], key: str, rules: Rules) -> list[Finding]:
    """Reading ease of an item accepted below the target: advice, with the reason."""
    kept = []
    for finding in found:
        reason = rules.accepted_reason(key, finding.field)
        if finding.code == "reading_ease" and finding.is_problem and reason:
            message = f"{finding.message} Accepted: {reason}"
            finding = replace(finding, severity=Severity.ADVICE, message=message)
        kept.append(finding)
    return kept


def message_findings(
    message: Message, *, language: str = ENGLISH, rules: Rules | None = None
) -> list[Finding]:
    """Every finding for one message in every format, each naming its field."""
    rules = rules or default_rules()

    def words(field: str, text: str, *, easy: bool, kind: Kind = "message") -> list[Finding]:
        return _checked(field, text, easy=easy, kind=kind, language=language, rules=rules)

    if message.words_only:  # one version serves everyone, easy-read readers too
        return _accept(words("text", message.text, easy=True), message.key, rules)
    found = words("text", message.text, easy=False)
    found += words("easy", message.easy, easy=True)
    found += words("voice", message.voice, easy=False, kind="voice")
    found += _card(message.card, language, rules) if message.card else []
    for missing in message.missing:
        text = f"This item has no {FORMAT_NAMES[missing]} yet: the plain words stand in."
        found.append(_problem("missing_format", missing, text, ""))
    found += _variables(message)
    return _accept(found, message.key, rules)


def button_findings(
    label: str, *, language: str = ENGLISH, rules: Rules | None = None
) -> list[Finding]:
    rules = rules or default_rules()
    return _checked("label", label, easy=False, kind="button", language=language, rules=rules)


def line_findings(
    text: str, *, language: str = ENGLISH, rules: Rules | None = None
) -> list[Finding]:
    """A command's description or an alert kind: short words, not sentences."""
    rules = rules or default_rules()
    return _checked("text", text, easy=False, kind="line", language=language, rules=rules)


def problems(found: list[Finding]) -> list[Finding]:
    return [finding for finding in found if finding.is_problem]
