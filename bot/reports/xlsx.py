"""The recap as an .xlsx workbook that reads itself.

Sheets: "Ringkasan" (one row per unit: category letter and label apart, per-dimension scores,
coloured by category, autofilter, frozen header, a link to the unit's sheet), then the
government figures below it; "Belum mulai" (units without a counted answer); "Indikator
terlemah"; one sheet per unit (indicator names, the code in a side column); "Tenggat".
Numbers are numbers with an Indonesian display format; dates are naive local times in the
government's zone, named in the headers (Excel has no zones).
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.recap import Recap, UnitRecap
from bot.reports.common import (
    DISCLAIMER,
    category_colour,
    local,
    number,
    short_name,
    zone_name,
)

SUMMARY_SHEET = "Ringkasan"
NOT_STARTED_SHEET = "Belum mulai"
WEAKEST_SHEET = "Indikator terlemah"
DEADLINES_SHEET = "Tenggat"
RESERVED = (SUMMARY_SHEET, NOT_STARTED_SHEET, WEAKEST_SHEET, DEADLINES_SHEET)
MAX_SHEET_NAME = 31
NUMBER_FORMAT = "[$-421]#,##0.00"  # 421 = Indonesian: shown as 66,06 whatever the PC's locale
PERCENT_FORMAT = "[$-421]#,##0.00"
SIGNED_FORMAT = "[$-421]+#,##0.00;-#,##0.00;0,00"
DATE_FORMAT = "dd/mm/yyyy hh:mm"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def summary_headers(recap: Recap) -> list[str]:
    """Column titles of the summary sheet and the CSV."""
    zone = zone_name(recap.timezone)
    return [
        "Kode",
        "Unit layanan",
        "Jenis",
        "Skor prediksi",
        "Kategori",
        "Keterangan kategori",
        "Cakupan isian (%)",
        *[f"Dimensi {name}" for name in recap.dimension_names],
        "Cek mandiri selesai",
        f"Isian terakhir ({zone})",
        "Tenggat selesai",
        "Tenggat total",
        "Tenggat terlambat",
        "Berkas bukti",
        "Penguasaan kuis (%)",
        "Jawaban kuis",
        "Anggota aktif",
        "Koordinator",
        "Perubahan skor",
        "Perubahan cakupan",
    ]


def summary_row(unit: UnitRecap, recap: Recap) -> list[object]:
    """One unit's summary values, numbers as numbers (None = empty cell)."""
    by_name = {d.name: d.score for d in unit.dimensions}
    return [
        unit.code,
        unit.name,
        unit.type,
        number(unit.score),
        unit.category_code,
        unit.category_label,
        number(unit.coverage),
        *[number(by_name.get(name)) for name in recap.dimension_names],
        "ya" if unit.finished else "tidak",
        local(unit.last_answer_at, recap.timezone),
        unit.deadlines_done,
        unit.deadlines_total,
        unit.deadlines_late,
        unit.evidence_files,
        number(unit.mastery),
        unit.quiz_answered,
        unit.active_members,
        ", ".join(unit.coordinators),
        number(unit.score_change),
        number(unit.coverage_change),
    ]


def sheet_names(names: list[str], reserved: tuple[str, ...] = RESERVED) -> list[str]:
    """Valid, unique, readable sheet names (<= 31 characters, no []:*?/\\)."""
    taken = {r.casefold() for r in reserved}
    result = []
    for name in names:
        base = short_name(_BAD_SHEET_CHARS.sub(" ", name).strip().strip("'") or "Unit")
        candidate = base
        number_ = 2
        while candidate.casefold() in taken:
            suffix = f" ({number_})"
            candidate = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            number_ += 1
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def _table(
    sheet: Worksheet,
    headers: list[str],
    rows: list[list[object]],
    widths: list[int],
    *,
    formats: dict[int, str] | None = None,
) -> None:
    """Header row 1 (bold, wrapped, frozen, filtered), then the rows."""
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for column, fmt in (formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = fmt
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"


def _summary(book: Workbook, recap: Recap, titles: list[str]) -> None:
    sheet = book.active
    assert sheet is not None
    sheet.title = SUMMARY_SHEET
    headers = summary_headers(recap)
    dims = len(recap.dimension_names)
    formats = {4: NUMBER_FORMAT, 7: PERCENT_FORMAT, 9 + dims: DATE_FORMAT}
    formats |= {8 + i: NUMBER_FORMAT for i in range(dims)}
    formats |= {14 + dims: PERCENT_FORMAT, 18 + dims: SIGNED_FORMAT, 19 + dims: SIGNED_FORMAT}
    widths = (
        [16, 40, 11, 10, 9, 22, 10] + [12] * dims + [11, 17, 9, 9, 10, 9, 10, 9, 9, 24, 10, 10]
    )
    _table(
        sheet,
        [*headers, "Lembar"],
        [[*summary_row(u, recap), titles[i]] for i, u in enumerate(recap.units)],
        [*widths, 24],
        formats=formats,
    )
    for index, unit in enumerate(recap.units, start=2):
        fill = PatternFill(
            "solid", fgColor=category_colour(recap.categories, unit.category_code)[1:]
        )
        for column in range(1, len(headers) + 1):
            sheet.cell(index, column).fill = fill
        link = sheet.cell(index, len(headers) + 1)
        link.hyperlink = "#'{}'!A1".format(titles[index - 2].replace("'", "''"))
        link.font = Font(color="0563C1", underline="single")
    sheet.append([])
    sheet.append(
        [
            "Pemerintah",
            recap.government_name,
            None,
            number(recap.government_score),
            recap.government_category_code,
            recap.government_category,
        ]
    )
    sheet.cell(sheet.max_row, 4).number_format = NUMBER_FORMAT
    sheet.append(["Unit dalam perkiraan", recap.units_covered, "dari", recap.units_total])
    sheet.append(["Edisi", recap.edition, "Dibuat", local(recap.generated_at, recap.timezone)])
    sheet.cell(sheet.max_row, 4).number_format = DATE_FORMAT
    sheet.append([DISCLAIMER])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True, color="B00020")


def _unit_sheet(book: Workbook, unit: UnitRecap, title: str) -> None:
    sheet = book.create_sheet(title)
    rows: list[list[object]] = [
        [
            unit.name,
            line.dimension,
            line.name,
            line.label,
            line.value,
            "ya" if line.evidence else "tidak",
            line.indicator_id,
        ]
        for line in unit.indicators
    ]
    _table(
        sheet,
        [
            "Unit layanan",
            "Dimensi",
            "Indikator",
            "Jawaban terakhir",
            "Nilai",
            "Bukti dukung",
            "Kode indikator",
        ],
        rows,
        [24, 18, 60, 40, 8, 12, 28],
    )


def workbook_bytes(recap: Recap) -> bytes:
    """The recap as an .xlsx file."""
    zone = zone_name(recap.timezone)
    titles = sheet_names([u.name for u in recap.units])
    book = Workbook()
    _summary(book, recap, titles)
    _table(
        book.create_sheet(NOT_STARTED_SHEET),
        ["Kode", "Unit layanan", "Jenis", "Koordinator", "Anggota aktif", "Tenggat terlambat"],
        [
            [u.code, u.name, u.type, ", ".join(u.coordinators), u.active_members, u.deadlines_late]
            for u in recap.not_started
        ],
        [16, 40, 11, 28, 10, 10],
    )
    _table(
        book.create_sheet(WEAKEST_SHEET),
        [
            "Peringkat",
            "Indikator",
            "Rata-rata nilai (% dari terbaik)",
            "Unit menjawab",
            "Unit di bawah nilai terbaik",
            "Kode indikator",
        ],
        [
            [n, w.name, number(w.mean), w.units, ", ".join(w.unit_names), w.indicator_id]
            for n, w in enumerate(recap.weakest, start=1)
        ],
        [9, 60, 14, 10, 60, 28],
        formats={3: PERCENT_FORMAT},
    )
    for unit, title in zip(recap.units, titles, strict=True):
        _unit_sheet(book, unit, title)
    _table(
        book.create_sheet(DEADLINES_SHEET),
        [
            "Tenggat",
            "Unit layanan",
            f"Batas waktu ({zone})",
            f"Ditandai siap ({zone})",
            "Status",
            "Jumlah bukti",
        ],
        [
            [
                d.title,
                d.unit_name,
                local(d.due_at, recap.timezone),
                local(d.done_at, recap.timezone),
                _status(d.done_at, d.late),
                d.evidence,
            ]
            for d in recap.deadlines
        ],
        [44, 40, 20, 20, 18, 13],
        formats={3: DATE_FORMAT, 4: DATE_FORMAT},
    )
    _no_formulas(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _status(done_at: datetime | None, late: bool) -> str:
    status = "selesai" if done_at is not None else "belum"
    return status + ", terlambat" if late else status


def _no_formulas(book: Workbook) -> None:
    """Keep text that starts with "=" (a deadline title, a person's name) as text.

    openpyxl stores such a string as a formula, which Excel would evaluate when the report is
    opened; the report never writes formulas of its own.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
