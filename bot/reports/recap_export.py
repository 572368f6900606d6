"""The recap as files: an .xlsx workbook, a CSV summary and a PNG chart (no Telegram here).

The workbook is a document for the regional secretary, so its headers are Indonesian whatever
the reader's language. Numbers are written as numbers and dates as real datetimes, naive in the
government's time zone (Excel has no zones); the zone is named in the date headers. Everything
here is CPU-bound: handlers call it through asyncio.to_thread.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.methodology import Category, Zone
from bot.domain.recap import Recap, UnitRecap

SUMMARY_SHEET = "Ringkasan"
DEADLINES_SHEET = "Tenggat"
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
ZONE_COLOURS = {
    Zone.HIJAU: "#cfe8d5",
    Zone.KUNING: "#fbeec1",
    Zone.MERAH: "#f6d0cf",
    None: "#eeeeee",
}
BAR = "#1f4e79"


def local(moment: datetime | None, zone: str) -> datetime | None:
    """A UTC datetime as naive local time in `zone` (what a spreadsheet cell can hold)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def summary_headers(zone: str) -> list[str]:
    """Column titles of the summary sheet and the CSV."""
    return [
        "Kode",
        "Unit layanan",
        "Jenis",
        "Skor prediksi",
        "Kategori",
        "Cakupan isian (%)",
        f"Isian terakhir ({zone})",
        "Tenggat selesai",
        "Tenggat total",
        "Tenggat terlambat",
        "Penguasaan kuis (%)",
        "Jawaban kuis",
        "Anggota aktif",
    ]


def summary_row(unit: UnitRecap, zone: str) -> list[object]:
    """One unit's summary values, numbers as numbers (None = empty cell)."""
    return [
        unit.code,
        unit.name,
        unit.type,
        _number(unit.score),
        unit.category_label,
        _number(unit.coverage),
        local(unit.last_answer_at, zone),
        unit.deadlines_done,
        unit.deadlines_total,
        unit.deadlines_late,
        _number(unit.mastery),
        unit.quiz_answered,
        unit.active_members,
    ]


def sheet_names(
    names: list[str], reserved: tuple[str, ...] = (SUMMARY_SHEET, DEADLINES_SHEET)
) -> list[str]:
    """Valid, unique sheet names (<= 31 characters, no []:*?/\\) for the given unit names."""
    taken = {r.casefold() for r in reserved}
    result = []
    for name in names:
        base = _BAD_SHEET_CHARS.sub(" ", name).strip().strip("'") or "Unit"
        candidate = base[:MAX_SHEET_NAME]
        number = 2
        while candidate.casefold() in taken:
            suffix = f" ({number})"
            candidate = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            number += 1
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def _table(
    sheet: Worksheet,
    headers: list[str],
    rows: list[list[object]],
    widths: list[int],
    date_columns: tuple[int, ...] = (),
) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for column in date_columns:
        for cell in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell[0].number_format = "dd/mm/yyyy hh:mm"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def workbook_bytes(recap: Recap) -> bytes:
    """The recap as an .xlsx file."""
    zone = recap.timezone
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = SUMMARY_SHEET
    _table(
        summary,
        summary_headers(zone),
        [summary_row(u, zone) for u in recap.units],
        [16, 40, 12, 12, 14, 12, 18, 10, 10, 11, 12, 10, 10],
        date_columns=(7,),
    )
    summary.append([])
    summary.append(
        [
            "Pemerintah",
            recap.government_name,
            None,
            _number(recap.government_score),
            recap.government_category,
        ]
    )
    summary.append(
        ["Edisi", recap.edition, None, None, None, None, local(recap.generated_at, zone)]
    )
    summary.cell(summary.max_row, 7).number_format = "dd/mm/yyyy hh:mm"
    summary.append([])
    summary.append(["Indikator terlemah", "Rata-rata nilai (% dari terbaik)", "Unit menjawab"])
    for weak in recap.weakest:
        summary.append([weak.name, _number(weak.mean), weak.units])

    for unit, title in zip(recap.units, sheet_names([u.name for u in recap.units]), strict=True):
        sheet = book.create_sheet(title)
        rows: list[list[object]] = [
            [
                line.dimension,
                line.indicator_id,
                line.name,
                line.label,
                line.value,
                "ya" if line.evidence else "tidak",
            ]
            for line in unit.indicators
        ]
        _table(
            sheet,
            [
                "Dimensi",
                "Kode indikator",
                "Indikator",
                "Jawaban terakhir",
                "Nilai",
                "Bukti dukung",
            ],
            rows,
            [22, 30, 50, 40, 8, 13],
        )

    deadlines = book.create_sheet(DEADLINES_SHEET)
    rows = []
    for state in recap.deadlines:
        status = "selesai" if state.done_at is not None else "belum"
        if state.late:
            status += ", terlambat"
        rows.append(
            [
                state.title,
                state.unit_name,
                local(state.due_at, zone),
                local(state.done_at, zone),
                status,
                state.evidence,
            ]
        )
    _table(
        deadlines,
        [
            "Tenggat",
            "Unit layanan",
            f"Batas waktu ({zone})",
            f"Ditandai siap ({zone})",
            "Status",
            "Jumlah bukti",
        ],
        rows,
        [44, 40, 20, 20, 18, 13],
        date_columns=(3, 4),
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(recap: Recap) -> str:
    """The summary table as CSV (dates ISO local time, decimals with a point)."""
    zone = recap.timezone
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(summary_headers(zone))
    for unit in recap.units:
        values = summary_row(unit, zone)
        writer.writerow(
            [
                ""
                if v is None
                else v.isoformat(timespec="minutes")
                if isinstance(v, datetime)
                else v
                for v in values
            ]
        )
    return out.getvalue()


def score_chart(
    names: list[str],
    scores: list[float],
    categories: tuple[Category, ...],
    *,
    title: str,
    note: str,
    empty: str,
) -> bytes:
    """Horizontal bars of units' predicted scores, highest first, over the category bands.

    About 1080 px wide with large type, so it stays readable on a phone.
    """
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], names[i]))
    names = [names[i] for i in order]
    scores = [scores[i] for i in order]
    height = max(4.0, 0.75 * len(names) + 2.4)
    figure = Figure(figsize=(10.8, height), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for category in categories:
        axes.axvspan(
            float(category.min),
            float(category.max),
            color=ZONE_COLOURS.get(category.zone, "#eeeeee"),
            alpha=0.8,
            zorder=0,
        )
        axes.text(
            (float(category.min) + float(category.max)) / 2,
            1.0,
            category.code,
            transform=axes.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=16,
            fontweight="bold",
            color="#555555",
        )
        axes.axvline(float(category.min), color="#999999", linewidth=1, zorder=1)
    rows = list(range(len(names)))[::-1]
    axes.barh(rows, scores, color=BAR, height=0.6, zorder=2)
    for row, score in zip(rows, scores, strict=True):
        inside = score > 80  # no room right of the bar: write inside it, in white
        axes.text(
            score - 1 if inside else score + 1,
            row,
            f"{score:.2f}".replace(".", ","),
            va="center",
            ha="right" if inside else "left",
            fontsize=16,
            zorder=3,
            color="#ffffff" if inside else "#111111",
            fontweight="bold",
        )
    axes.set_yticks(rows, [n if len(n) <= 28 else n[:27] + "…" for n in names], fontsize=16)
    axes.set_xlim(0, 100)
    axes.tick_params(axis="x", labelsize=14)
    if not names:
        axes.text(
            50,
            0.5,
            empty,
            ha="center",
            va="center",
            fontsize=18,
            transform=axes.get_xaxis_transform(),
        )
        axes.set_yticks([])
    axes.set_title(title, fontsize=20, pad=30)
    figure.text(0.5, 0.01, note, ha="center", fontsize=13, color="#b00020")
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
