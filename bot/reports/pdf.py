"""The recap as a printable A4 PDF in Indonesian, drawn with matplotlib's PDF backend.

Why matplotlib: it is already a dependency (the charts), its PDF backend embeds the charts as
vectors, and its bundled DejaVu Sans covers every Indonesian character (— … ± included). Fonts
are embedded as TrueType (pdf.fonttype 42) so the text can be searched and copied.

Page 1 is for pimpinan: the government's estimate, category, coverage, what to fix first, units
needing attention and deadlines at risk. Then the recap chart and the league table, then one
section per unit. Every page carries the date and "Perkiraan — bukan nilai resmi Ombudsman".
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from datetime import timedelta

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import FigureCanvasPdf, PdfPages
from matplotlib.figure import Figure

from bot.domain.recap import Reason, Recap, UnitRecap
from bot.reports import charts
from bot.reports.common import DISCLAIMER, id_date, id_number

matplotlib.rcParams["pdf.fonttype"] = 42  # TrueType: extractable, searchable text
A4 = (8.27, 11.69)  # inches
TOP, BOTTOM, LEFT = 0.94, 0.07, 0.08
RED = "#b00020"
SOON = timedelta(days=7)
REASONS = {
    Reason.NOT_STARTED: "belum mulai cek mandiri",
    Reason.LOW_COVERAGE: "cakupan isian rendah",
    Reason.LATE: "tenggat terlambat",
}
TABLE_ROWS = 38


class _Pages:
    """A cursor over A4 pages: text lines and charts flow down and onto new pages."""

    def __init__(self, pdf: PdfPages, recap: Recap) -> None:
        self._pdf = pdf
        self._footer = (
            f"{id_date(recap.generated_at, recap.timezone)} · edisi {recap.edition} · {DISCLAIMER}"
        )
        self._figure: Figure | None = None
        self._y = TOP
        self.count = 0

    def new_page(self) -> None:
        self.close_page()
        self._figure = Figure(figsize=A4)
        FigureCanvasPdf(self._figure)
        self._y = TOP
        self.count += 1

    def close_page(self) -> None:
        if self._figure is not None:
            self._figure.text(LEFT, 0.035, self._footer, fontsize=7.5, color=RED)
            self._figure.text(1 - LEFT, 0.035, f"hal. {self.count}", fontsize=7.5, ha="right")
            self._pdf.savefig(self._figure)  # type: ignore[no-untyped-call]
            self._figure = None

    def _room(self, height: float) -> Figure:
        if self._figure is None or self._y - height < BOTTOM:
            self.new_page()
        assert self._figure is not None
        return self._figure

    def text(
        self,
        text: str,
        size: float = 10,
        *,
        bold: bool = False,
        colour: str = "#111111",
        indent: float = 0.0,
        width: int = 95,
    ) -> None:
        """A paragraph, wrapped to the page width (wider for smaller type)."""
        chars = int(width * 10 / size) - int(indent * 100)
        for line in textwrap.wrap(text, chars) or [""]:
            height = size * 1.45 / (A4[1] * 72)
            figure = self._room(height)
            figure.text(
                LEFT + indent,
                self._y,
                line,
                fontsize=size,
                va="top",
                color=colour,
                fontweight="bold" if bold else "normal",
            )
            self._y -= height

    def gap(self, points: float = 6) -> None:
        self._y -= points / (A4[1] * 72)

    def chart(self, height: float, draw: Callable[[Axes], None], *, left: float = 0.3) -> None:
        """A chart `height` inches high across the page (vectors)."""
        fraction = height / A4[1]
        figure = self._room(fraction)
        axes = figure.add_axes((left, self._y - fraction + 0.03, 0.92 - left, fraction - 0.06))
        draw(axes)
        self._y -= fraction


@matplotlib.rc_context({"text.parse_math": False})  # names and titles are text, not TeX
def pdf_bytes(recap: Recap) -> bytes:
    """The recap as a PDF file."""
    buffer = io.BytesIO()
    metadata = {
        "Title": f"Rekap kesiapan {recap.government_name} {recap.edition}",
        "Subject": DISCLAIMER,
        "Creator": "Pendamping Kepatuhan",
    }
    with PdfPages(buffer, metadata=metadata) as pdf:
        pages = _Pages(pdf, recap)
        pages.new_page()
        _front(pages, recap)
        pages.new_page()
        _league(pages, recap)
        for unit in sorted(recap.units, key=lambda u: u.name.casefold()):
            pages.new_page()
            _unit(pages, recap, unit)
        pages.close_page()
    return buffer.getvalue()


def _front(pages: _Pages, recap: Recap) -> None:
    pages.text("LAPORAN KESIAPAN PENILAIAN KEPATUHAN", 15, bold=True)
    pages.text(recap.government_name or "-", 13, bold=True)
    pages.text(
        f"Edisi metodologi {recap.edition} · dibuat {id_date(recap.generated_at, recap.timezone)}",
        10,
    )
    pages.text(DISCLAIMER, 10, bold=True, colour=RED)
    pages.gap(12)
    if recap.government_score is not None:
        pages.text(
            f"Perkiraan nilai: {id_number(recap.government_score)} — kategori "
            f"{recap.government_category_code} ({recap.government_category})",
            14,
            bold=True,
        )
    else:
        pages.text(
            "Belum ada perkiraan nilai: belum ada unit yang menyelesaikan cek mandiri.",
            12,
            bold=True,
        )
    pages.text(
        f"Dihitung dari {recap.units_covered} dari {recap.units_total} unit "
        "(rata-rata unit yang sudah menyelesaikan cek mandiri).",
        10,
    )
    started = sum(1 for u in recap.units if u.started)
    pages.text(f"Unit yang sudah mulai mengisi: {started} dari {len(recap.units)}.", 10)
    pages.gap(10)
    pages.text("Perbaiki lebih dulu", 12, bold=True)
    if not recap.weakest:
        pages.text("Belum ada jawaban untuk dibandingkan.", 10)
    for n, weak in enumerate(recap.weakest, start=1):
        pages.text(
            f"{n}. {weak.name} — rata-rata {id_number(weak.mean, 0)}% dari nilai terbaik", 10
        )
        if weak.unit_names:
            pages.text("Unit: " + ", ".join(weak.unit_names), 9, colour="#444444", indent=0.03)
    pages.gap(10)
    pages.text("Unit yang perlu perhatian", 12, bold=True)
    attention = recap.attention
    if not attention:
        pages.text("Tidak ada.", 10)
    for unit in attention:
        reasons = ", ".join(REASONS[r] for r in unit.reasons())
        who = ", ".join(unit.coordinators) or "belum ada koordinator"
        pages.text(f"• {unit.name} — {reasons} (koordinator: {who})", 9.5)
    pages.gap(10)
    _deadlines_at_risk(pages, recap)


def _deadlines_at_risk(pages: _Pages, recap: Recap) -> None:
    pages.text("Tenggat berisiko", 12, bold=True)
    soon = recap.generated_at + SOON
    risky = [d for d in recap.deadlines if d.done_at is None and (d.late or d.due_at <= soon)]
    if not risky:
        pages.text("Tidak ada tenggat yang terlambat atau jatuh tempo dalam 7 hari.", 10)
    for state in sorted(risky, key=lambda d: (d.due_at, d.unit_name.casefold())):
        status = "TERLAMBAT" if state.late else "segera"
        pages.text(
            f"• {state.title} — {state.unit_name}: batas "
            f"{id_date(state.due_at, recap.timezone)} ({status})",
            9.5,
        )


def _league(pages: _Pages, recap: Recap) -> None:
    pages.text("Peringkat unit", 13, bold=True)
    date = id_date(recap.generated_at, recap.timezone, time=False)
    title = f"Skor prediksi per unit — edisi {recap.edition}, {date}"
    height = min(8.5, 0.22 * len(recap.units) + 1.4)
    pages.chart(height, lambda axes: charts.draw_scores(axes, recap, title=title, size=7))
    pages.gap(8)
    dims = recap.dimension_names
    pages.text("No. Unit — Skor, Kategori, Cakupan | " + " | ".join(dims), 8.5, bold=True)
    for n, unit in enumerate(recap.league, start=1):
        by_name = {d.name: d.score for d in unit.dimensions}
        figures = " | ".join(id_number(by_name.get(name)) for name in dims)
        if unit.started:
            line = (
                f"{n}. {unit.name} — {id_number(unit.score)} {unit.category_code}, "
                f"cakupan {id_number(unit.coverage, 0)}% | {figures}"
            )
        else:
            line = f"{n}. {unit.name} — belum mulai"
        pages.text(line, 8.5)


def _unit(pages: _Pages, recap: Recap, unit: UnitRecap) -> None:
    pages.text(unit.name, 13, bold=True)
    who = ", ".join(unit.coordinators) or "belum ada koordinator"
    pages.text(f"Koordinator: {who} · anggota aktif: {unit.active_members}", 9.5)
    if unit.started:
        pages.text(
            f"Skor prediksi {id_number(unit.score)} — kategori {unit.category_code} "
            f"({unit.category_label}) · cakupan isian {id_number(unit.coverage, 0)}% · "
            f"cek mandiri {'selesai' if unit.finished else 'belum selesai'}",
            10.5,
            bold=True,
        )
    else:
        pages.text("Belum mulai cek mandiri.", 10.5, bold=True, colour=RED)
    if unit.previous is not None:
        pages.text(
            f"Sejak laporan {id_date(unit.previous.at, recap.timezone)}: skor "
            f"{id_number(unit.score_change, signed=True)} poin, cakupan "
            f"{id_number(unit.coverage_change, signed=True)} poin persen",
            9.5,
        )
    pages.gap(4)
    dims = unit.dimensions
    pages.chart(
        0.32 * len(dims) + 0.9,
        lambda axes: charts.draw_dimensions(axes, dims, title="Skor per dimensi", size=8),
    )
    pages.text("Indikator terlemah", 11, bold=True)
    weakest = unit.weakest()
    if not weakest:
        pages.text("Tidak ada jawaban di bawah nilai terbaik.", 9.5)
    for line in weakest:
        pages.text(
            f"• {line.name} — jawaban: {line.label} (nilai {line.value} dari {line.best})", 9
        )
    pages.gap(6)
    pages.text(
        f"Bukti dukung: {unit.evidence_files} berkas; indikator dengan bukti: "
        f"{sum(1 for i in unit.indicators if i.evidence)} dari {len(unit.indicators)}",
        9.5,
    )
    pages.gap(6)
    pages.text("Tenggat", 11, bold=True)
    own = [d for d in recap.deadlines if d.unit_id == unit.unit_id]
    if not own:
        pages.text("Tidak ada tenggat.", 9.5)
    for state in own:
        status = "selesai" if state.done_at is not None else "belum"
        if state.late:
            status += ", terlambat"
        pages.text(f"• {state.title}: batas {id_date(state.due_at, recap.timezone)} — {status}", 9)
    if len(unit.trend) >= 2:
        pages.gap(6)
        pages.chart(
            2.4,
            lambda axes: charts.draw_trend(
                axes, unit.trend, recap.timezone, title="Tren skor cek mandiri yang selesai"
            ),
            left=0.12,
        )
