"""What the content editor shows beside the form, for the page and for its script alike:
the words as people get them (filled with the example values), the picture card and the
voice note (addresses the browser loads them from), each format's reading score in words,
and every finding of the writing rules, each naming the field it is about."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from bot.content.plain_language.check import Finding
from bot.content.plain_language.reading_ease import Score
from bot.rendering.outgoing import Card
from bot.rendering.preview import Preview
from web.pages.content_form import LABELS, field_of

SCORED = {"text": "Plain words", "easy": "Easy-read words", "voice": "Voice script"}
LONGEST_URL = 6000  # card lines far too long to draw are a finding already


@dataclass(frozen=True)
class ScoreLine:
    field: str  # text, easy or voice
    label: str
    text: str  # the score in words: the number, its grade, the target, whether it meets it


@dataclass(frozen=True)
class FindingLine:
    field: str  # the form field it is about (its id)
    label: str  # that field's label
    severity: str  # "Problem" (fix it before saving) or "Advice"
    message: str
    code: str  # which rule: idiom, long_sentence, capitals, reading_ease, ...


@dataclass(frozen=True)
class PreviewView:
    kind: str  # "message", "words_only" or "button"
    plain: str = ""
    easy: str = ""
    label: str = ""
    card_url: str | None = None
    card_alt: str = ""
    caption: str = ""
    voice_url: str | None = None
    voice_script: str = ""
    scores: list[ScoreLine] = field(default_factory=list)
    findings: list[FindingLine] = field(default_factory=list)
    summary: str = ""
    refused: str = ""  # why there is no preview: a field that cannot be read


def item_url(key: str, rest: str = "", language: str = "", base: str = "en") -> str:
    url = f"/content/{quote(key, safe=':')}{rest}"
    return f"{url}?{urlencode({'language': language})}" if language and language != base else url


def _media_url(key: str, rest: str, params: Mapping[str, str]) -> str | None:
    url = f"{item_url(key, rest)}?{urlencode(params)}"
    return url if len(url) <= LONGEST_URL else None


def card_url(key: str, language: str, values: Mapping[str, str]) -> str | None:
    card = {name: value for name, value in values.items() if name.startswith("card_")}
    return _media_url(key, "/card.png", {"language": language, **card})


def voice_url(key: str, language: str, values: Mapping[str, str]) -> str | None:
    return _media_url(key, "/voice.ogg", {"language": language, "voice": values.get("voice", "")})


def card_words(card: Card) -> str:
    """The words on a card, in the order they are drawn: its text alternative."""
    lines = [card.title, card.top if card.kind == "appointment" else "", card.big, *card.small]
    return ". ".join(line.rstrip(".") for line in lines if line) + "."


def score_text(summary: Score) -> str:
    if summary.reading_ease is None:
        return "No words of the writer's own to score."
    meets = "meets the target" if summary.meets_target else "below the target"
    words = f"{summary.reading_ease:.0f} ({summary.grade})"
    text = f"Reading ease {words}: {meets} of {summary.target} or more."
    text += f" Longest sentence: {summary.longest_sentence_words} words."
    if not summary.measured:
        text += f" With {summary.words} words of the writer's own, the score is only a guide."
    return text


def finding_lines(findings: Iterable[Finding], shown: tuple[str, ...]) -> list[FindingLine]:
    lines = []
    for finding in findings:
        name = field_of(finding.field, shown)
        severity = "Problem" if finding.is_problem else "Advice"
        lines.append(FindingLine(name, LABELS[name], severity, finding.message, finding.code))
    return lines


def summary_of(lines: list[FindingLine]) -> str:
    problems = sum(line.severity == "Problem" for line in lines)
    advice = len(lines) - problems
    if not lines:
        return "No problems found. The words meet every target."
    said = [f"{problems} problem{'s' if problems != 1 else ''}" if problems else "No problems"]
    if advice:
        said.append(f"{advice} piece{'s' if advice != 1 else ''} of advice")
    after = " Fix the problems before saving." if problems else ""
    return " and ".join(said) + "." + after


def of_message(found: Preview, shown: tuple[str, ...], values: Mapping[str, str]) -> PreviewView:
    lines = finding_lines(found.findings, shown)
    scores = [ScoreLine(n, SCORED[n], score_text(s)) for n, s in found.scores.items()]
    card = found.card.card if found.card is not None else None
    key, language = found.key, found.language
    return PreviewView(
        kind="words_only" if found.words_only else "message",
        plain=found.plain,
        easy=found.easy,
        card_url=card_url(key, language, values) if card is not None else None,
        card_alt=card_words(card) if card is not None else "",
        caption=card.caption if card is not None else "",
        voice_url=voice_url(key, language, values) if found.voice is not None else None,
        voice_script=found.voice_script,
        scores=scores,
        findings=lines,
        summary=summary_of(lines),
    )


def of_button(label: str, findings: Iterable[Finding], shown: tuple[str, ...]) -> PreviewView:
    lines = finding_lines(findings, shown)
    return PreviewView(kind="button", label=label, findings=lines, summary=summary_of(lines))


def of_refusal(kind: str, errors: Mapping[str, str]) -> PreviewView:
    """No preview: a field cannot be read (a broken {variable}, an empty field)."""
    lines = [
        FindingLine(name, LABELS[name], "Problem", text, "refused") for name, text in errors.items()
    ]
    refused = "The preview shows again when this is fixed."
    return PreviewView(kind=kind, findings=lines, summary=summary_of(lines), refused=refused)
