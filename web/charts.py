"""Reports drawn as SVG charts with pygal, to inline in a page above the report's table.

Each chart is one picture to the screen reader (role="img", named by its <title> and
described by its <desc>); the table after it carries the numbers. No script at all:
pygal's tooltip JavaScript is left out and its script element and tooltip removed; no
style attribute either (the Content-Security-Policy refuses them; the chart's <style>
carries the answer's nonce). GOV.UK colours, large labels. A suppressed value is not
drawn (no bar), and a note under the chart says why.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import pygal
from pygal.style import Style

from bot.services.reports import SUPPRESSED_TEXT, Cell, ColumnKind, Report
from bot.services.reports.response import BUCKETS

# pygal adds an import hook for its map plugins (which Waymark does not use) to
# sys.meta_path at import. It has only the old find_module API, so every later failed
# import anywhere in the process warns (and on newer Pythons fails). Take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

BLUE, DARK_BLUE, GREEN = "#1d70b8", "#003078", "#00703c"
RED, ORANGE, GREY = "#d4351c", "#f47738", "#505a5f"
PURPLE, TURQUOISE, BROWN = "#4c2c92", "#28a197", "#b58840"  # GOV.UK, for nine needs
TEXT = "#0b0c0c"
FONT = '"GDS Transport", arial, sans-serif'
MISSING_NOTE = f"No bar: the number is {SUPPRESSED_TEXT} and is hidden."
WIDTH = 960


@dataclass(frozen=True)
class Drawing:
    """How one report is drawn: which columns are series, in which colours, and how."""

    series: tuple[str, ...]  # column headings; empty: every column but the first
    colours: tuple[str, ...]
    values_title: str  # names the axis of values
    labels_title: str = ""
    horizontal: bool = False  # bars run across, first row at the top: room for long labels
    stacked: bool = False
    transpose: bool = False  # series are the rows, the labels are the column headings

    @property
    def chart(self) -> Callable[..., Any]:
        charts: dict[tuple[bool, bool], Callable[..., Any]] = {
            (False, False): pygal.Bar,
            (False, True): pygal.StackedBar,
            (True, False): pygal.HorizontalBar,
            (True, True): pygal.HorizontalStackedBar,
        }
        return charts[self.horizontal, self.stacked]


RATES = ("Attendance rate", "Reply rate")
DRAWINGS = {
    "attendance-by-month": Drawing(
        ("Attended", "Missed", "Rescheduled"), (GREEN, RED, ORANGE), "Appointments", stacked=True
    ),
    "confirmation-and-reply": Drawing(
        ("Attendance rate",), (BLUE,), "Attendance rate", horizontal=True
    ),
    "engagement-by-format": Drawing(RATES, (BLUE, DARK_BLUE), "Rate", "Format"),
    "engagement-by-need": Drawing(RATES, (BLUE, DARK_BLUE), "Rate", horizontal=True),
    "need-by-borough": Drawing(
        (),
        (BLUE, DARK_BLUE, GREEN, RED, ORANGE, GREY, PURPLE, TURQUOISE, BROWN),
        "People",
        horizontal=True,
        stacked=True,
    ),
    "response-time": Drawing(
        tuple(label for _, label in BUCKETS),
        (BLUE, DARK_BLUE, GREEN),
        "Answers",
        "Time to answer a reminder",
        horizontal=True,
        transpose=True,
    ),
}


def render(report: Report, *, nonce: str | None = None) -> str:
    """The report's chart as an <svg> element (a str, no XML declaration). `nonce` goes
    on the chart's <style> for a Content-Security-Policy that names one."""
    drawing = DRAWINGS[report.key]
    labels, series = _series(report, drawing)
    rate = _is_rate(report, drawing)
    values_title = f"{drawing.values_title} (%)" if rate else drawing.values_title
    bars = len(labels) * (1 if drawing.stacked else len(series))
    chart = drawing.chart(
        style=_style(drawing.colours),
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        width=WIDTH,
        height=max(520, 200 + 30 * bars) if drawing.horizontal else 560,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        legend_box_size=18,
        show_legend=len(series) > 1,
        truncate_label=-1,
        truncate_legend=-1,
        x_label_rotation=0 if drawing.horizontal or len(labels) < 5 else 30,
        # pygal's x is the axis of labels, also when the bars run across
        x_title=(values_title if drawing.horizontal else drawing.labels_title) or None,
        y_title=(drawing.labels_title if drawing.horizontal else values_title) or None,
        print_values=False,
        margin_bottom=48,
        no_data_text="Nothing to show",
    )
    chart.add_xml_filter(_accessible(report, nonce))
    if rate:
        chart.range = (0, 100)
        chart.value_formatter = lambda value: f"{value:.0f}%"
    else:
        chart.value_formatter = lambda value: f"{value:.0f}"
    if drawing.horizontal:  # pygal draws the first label at the bottom
        labels = labels[::-1]
        series = [(name, values[::-1]) for name, values in series]
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    return str(chart.render(is_unicode=True))


def _series(report: Report, drawing: Drawing) -> tuple[list[str], list[tuple[str, list[Any]]]]:
    """x labels and (name, values) per series; suppressed values are None (not drawn)."""
    headings = drawing.series or report.headings[1:]
    labels = [str(row[0].value) for row in report.rows]
    columns = [(heading, [_value(cell) for cell in report.column(heading)]) for heading in headings]
    if not drawing.transpose:
        return labels, columns
    by_row = [(label, [values[i] for _, values in columns]) for i, label in enumerate(labels)]
    return list(headings), by_row


def _value(cell: Cell) -> float | None:
    number = cell.number
    if number is None:
        return None
    return number * 100 if cell.kind is ColumnKind.RATE else number


def _is_rate(report: Report, drawing: Drawing) -> bool:
    headings = drawing.series or report.headings[1:]
    return all(report.columns[report.headings.index(h)].kind is ColumnKind.RATE for h in headings)


def _style(colours: tuple[str, ...]) -> Any:
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=TEXT,
        foreground_strong=TEXT,
        foreground_subtle=GREY,
        opacity="1",
        opacity_hover="1",
        colors=colours,
        font_family=FONT,
        label_font_size=18,
        major_label_font_size=18,
        legend_font_size=18,
        value_font_size=18,
        title_font_size=24,
        no_data_font_size=24,
        guide_stroke_color=GREY,
        major_guide_stroke_color=GREY,
    )


def _accessible(report: Report, nonce: str | None) -> Callable[[ET.Element], ET.Element]:
    """An XML filter: no script, no comments, no tooltip; role="img" named by a
    <title> and described by a <desc> at the top; the note on hidden numbers."""

    def apply(root: ET.Element) -> ET.Element:
        chart_id = root.get("id", "chart")
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag in ("script", "desc", "title", ET.Comment) or _tooltip(child):
                    parent.remove(child)
                elif child.tag == "style" and nonce:
                    child.set("nonce", nonce)
        title = ET.Element("title", id=f"{chart_id}-title")
        title.text = report.title
        desc = ET.Element("desc", id=f"{chart_id}-desc")
        missing = report.any_suppressed
        desc.text = " ".join(
            [report.description, f"{report.period.words}."]
            + ([MISSING_NOTE, "The table after the chart has every number."] if missing else [])
        )
        root.insert(0, desc)
        root.insert(0, title)
        root.set("role", "img")
        root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
        if missing:
            note = ET.SubElement(root, "text", x="16", y=str(_height(root) - 14), fill=TEXT)
            note.set("font-family", FONT)
            note.set("font-size", "18")  # an attribute: the CSP refuses style attributes
            note.text = MISSING_NOTE
        return root

    return apply


def _tooltip(element: ET.Element) -> bool:
    """pygal's tooltip, hidden by a style attribute and shown only by its script."""
    return "tooltip" in (element.get("class") or "").split()


def _height(root: ET.Element) -> int:
    return int(float(root.get("viewBox", "0 0 0 600").split()[3]))
