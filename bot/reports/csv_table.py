"""The recap summary as CSV: the columns of the workbook's summary sheet, one row per unit
(dates ISO local time in the government's zone, decimals with a point for other programs)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from bot.domain.recap import Recap
from bot.reports.xlsx import summary_headers, summary_row

FORMULA_STARTS = ("=", "+", "-", "@")  # what Excel and LibreOffice read as a formula


def csv_text(recap: Recap) -> str:
    """The summary table as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(summary_headers(recap))
    for unit in recap.units:
        writer.writerow([_cell(v) for v in summary_row(unit, recap)])
    return out.getvalue()


def _cell(value: object) -> object:
    """A CSV cell; text a spreadsheet would run as a formula (=, +, -, @) gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
