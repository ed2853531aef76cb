"""Every report draws as an SVG a page can inline: well-formed, named and described for
a screen reader, no script, hidden numbers left out with a note."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree as ET

import pytest

from bot.services.reports import REPORTS, Cell, Column, ColumnKind, Period, Report
from bot.services.reports.attendance import ANSWER_COLUMNS, ANSWER_GROUPS, MONTH_COLUMNS
from bot.services.reports.engagement import FORMAT_COLUMNS, FORMAT_LABELS, NEED_COLUMNS
from bot.services.reports.needs import COLUMNS as NEED_BOROUGH_COLUMNS
from bot.services.reports.response import COLUMNS as RESPONSE_COLUMNS
from web import charts
from web.charts import DRAWINGS, MISSING_NOTE

SVG = "{http://www.w3.org/2000/svg}"
PERIOD = Period(date(2025, 12, 1), date(2026, 11, 23))
SHAPES: dict[str, tuple[tuple[Column, ...], list[str]]] = {
    "attendance-by-month": (MONTH_COLUMNS, [m.label for m in PERIOD.months()]),
    "confirmation-and-reply": (ANSWER_COLUMNS, list(ANSWER_GROUPS)),
    "engagement-by-format": (FORMAT_COLUMNS, list(FORMAT_LABELS.values())),
    "engagement-by-need": (NEED_COLUMNS, ["Dyslexia", "ADHD", "No need recorded"]),
    "need-by-borough": (NEED_BOROUGH_COLUMNS, ["Camden", "Hackney", "Southwark"]),
    "response-time": (RESPONSE_COLUMNS, list(FORMAT_LABELS.values())),
}
VALUES = {ColumnKind.COUNT: 42, ColumnKind.RATE: 0.73, ColumnKind.MINUTES: 17.5}


def _report(key: str, *, hidden_every: int = 3, all_hidden: bool = False) -> Report:
    """A report of the given shape; every `hidden_every`-th cell is suppressed."""
    columns, labels = SHAPES[key]
    rows = []
    for r, label in enumerate(labels):
        cells = [Cell.label(label)]
        for c, column in enumerate(columns[1:]):
            if all_hidden or (r + c + 1) % hidden_every == 0:
                cells.append(Cell.hidden(column.kind))
            else:
                cells.append(Cell(column.kind, VALUES[column.kind] + r))
        rows.append(tuple(cells))
    return Report(key, f"Title of {key}", "What it shows.", PERIOD, columns, tuple(rows))


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it


def test_every_report_has_a_drawing_and_a_shape_here() -> None:
    assert set(DRAWINGS) == set(REPORTS) == set(SHAPES)


@pytest.mark.parametrize("key", list(REPORTS))
def test_a_chart_is_an_svg_with_a_title_and_a_description_and_no_script(key: str) -> None:
    svg = charts.render(_report(key))
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert not svg.startswith("<?xml")
    title, desc = list(root)[:2]
    assert title.tag == f"{SVG}title"
    assert title.text == f"Title of {key}"
    assert desc.tag == f"{SVG}desc"
    assert desc.text is not None
    assert desc.text.startswith("What it shows. 1 December 2025 to 23 November 2026.")
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert list(root.iter(f"{SVG}script")) == []
    assert "<script" not in svg
    assert "javascript" not in svg.lower()
    assert list(root.iter(f"{SVG}title")) == [title]


@pytest.mark.parametrize("key", list(REPORTS))
def test_hidden_numbers_are_left_out_with_a_note(key: str) -> None:
    svg = charts.render(_report(key))
    root = _parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert MISSING_NOTE in texts
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert desc.text is not None
    assert MISSING_NOTE in desc.text


def test_a_chart_without_hidden_numbers_has_no_note() -> None:
    svg = charts.render(_report("engagement-by-format", hidden_every=1000))
    assert MISSING_NOTE not in svg


@pytest.mark.parametrize("key", list(REPORTS))
def test_a_chart_with_every_number_hidden_still_draws(key: str) -> None:
    root = _parse(charts.render(_report(key, all_hidden=True)))
    assert root.find(f"{SVG}title") is not None


def test_charts_use_govuk_colours_and_large_labels() -> None:
    svg = charts.render(_report("attendance-by-month", hidden_every=1000))
    for colour in ("#00703c", "#d4351c", "#f47738"):  # attended, missed, rescheduled
        assert colour in svg
    assert "font-size:18px" in svg


def test_a_nonce_goes_on_the_style() -> None:
    root = _parse(charts.render(_report("response-time"), nonce="abc123"))
    styles = list(root.iter(f"{SVG}style"))
    assert styles
    assert all(style.get("nonce") == "abc123" for style in styles)


@pytest.mark.parametrize("key", list(REPORTS))
def test_no_element_has_a_style_attribute_which_the_csp_would_refuse(key: str) -> None:
    root = _parse(charts.render(_report(key), nonce="abc123"))
    styled = [element.tag for element in root.iter() if element.get("style") is not None]
    assert styled == []
    tooltips = [e for e in root.iter() if "tooltip" in (e.get("class") or "").split()]
    assert tooltips == []  # hidden only by a style attribute, shown only by pygal's script


def test_rates_are_drawn_as_percentages() -> None:
    svg = charts.render(_report("engagement-by-format", hidden_every=1000))
    assert "100%" in svg  # the axis runs to 100%
