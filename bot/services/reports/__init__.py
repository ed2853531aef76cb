"""Reports for staff, managers and evaluators: counted in the database, small numbers
suppressed, ready to draw (web/charts.py) and to export as CSV."""

from bot.services.reports.attendance import attendance_by_month, confirmation_and_reply
from bot.services.reports.engagement import by_format, by_need
from bot.services.reports.export import pseudonym, pseudonymised_events, report_csv
from bot.services.reports.model import (
    SUPPRESSED_CSV,
    SUPPRESSED_TEXT,
    SUPPRESSION_NOTE,
    Cell,
    Column,
    ColumnKind,
    Period,
    Report,
    Scope,
)
from bot.services.reports.needs import need_by_borough
from bot.services.reports.response import response_time

# Every report, in the order the reports page shows them.
REPORTS = {
    "attendance-by-month": attendance_by_month,
    "confirmation-and-reply": confirmation_and_reply,
    "engagement-by-format": by_format,
    "engagement-by-need": by_need,
    "need-by-borough": need_by_borough,
    "response-time": response_time,
}

__all__ = [
    "REPORTS",
    "SUPPRESSED_CSV",
    "SUPPRESSED_TEXT",
    "SUPPRESSION_NOTE",
    "Cell",
    "Column",
    "ColumnKind",
    "Period",
    "Report",
    "Scope",
    "attendance_by_month",
    "by_format",
    "by_need",
    "confirmation_and_reply",
    "need_by_borough",
    "pseudonym",
    "pseudonymised_events",
    "report_csv",
    "response_time",
]
