"""The subject access export as two files: an easy-read page (HTML, one file with its own
styles, no scripts, made to print) and the same records as JSON.

The page is made from the JSON document itself, so the two files cannot disagree: every
row of the JSON is a row of the page. Times are shown on the London clock.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.domain.localtime import clock_time, local, spoken_date

TEMPLATES = Path(__file__).parent / "templates"
UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class ExportFiles:
    page: Path
    data: Path


def file_stem(ref: str) -> str:
    """`subject-access-IOM-1090`: a reference's "/" and the like made safe for a file name."""
    return "subject-access-" + UNSAFE.sub("-", ref).strip("-")


def write(document: dict[str, Any], directory: Path) -> ExportFiles:
    directory.mkdir(parents=True, exist_ok=True)
    stem = file_stem(str(document["person"]["case_reference"]))
    page, data = directory / f"{stem}.html", directory / f"{stem}.json"
    data.write_text(as_json(document), encoding="utf-8")
    page.write_text(as_page(document), encoding="utf-8")
    return ExportFiles(page, data)


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def as_page(document: dict[str, Any]) -> str:
    return _environment().get_template("subject_access.html").render(doc=document)


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["london"] = _london
    environment.filters["day"] = _day
    environment.filters["words"] = _words
    return environment


def _london(value: str | None) -> str:
    """An ISO time as people read it: "Tuesday 25 November 2026, 10:00"."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    return f"{spoken_date(moment)} {local(moment).year}, {clock_time(moment)}"


def _day(value: str | None) -> str:
    if not value:
        return ""
    day = date.fromisoformat(value)
    return f"{day:%A} {day.day} {day:%B %Y}"


def _words(value: object) -> str:
    """A coded value (cant_come, sure) in words."""
    return str(value).replace("_", " ").replace("-", " ") if value is not None else ""
