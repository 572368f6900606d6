"""Recap reports for a large government (45 units): every unit in the chat pages, the chart,
the workbook and the PDF, within Telegram's limits; readable sheet names; numbers as numbers."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.content.bundle import load_content
from bot.domain.recap import (
    DeadlineUnitState,
    DimensionScore,
    Previous,
    Recap,
    ScorePoint,
    UnitRecap,
)
from bot.domain.scoring import classify
from bot.handlers import recap_render
from bot.i18n import load_catalogs
from bot.reports import charts, pdf, xlsx
from bot.reports.common import id_number
from tests.conftest import CONTENT

EDITION = "2025"
NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
TELEGRAM_TEXT = 4096
TELEGRAM_DOCUMENT = 50 * 1024 * 1024
TELEGRAM_PHOTO = 10 * 1024 * 1024


def _unit(index: int, methodology: object) -> UnitRecap:
    started = index % 3 != 0
    score = Decimal(40 + index) if started else None
    category = classify(methodology, score) if score is not None else None  # type: ignore[arg-type]
    dims = tuple(
        DimensionScore(d.id, d.name, Decimal(30 + index) if started else None, Decimal(100))
        for d in methodology.all_dimensions  # type: ignore[attr-defined]
    )
    return UnitRecap(
        unit_id=index,
        code=f"unit-{index}",
        name=f"UPT Pelayanan Terpadu Kecamatan Nomor {index:02d} dan Sekitarnya",
        type="kecamatan",
        score=score,
        category_code=category.code if category else None,
        category_label=category.label if category else None,
        coverage=Decimal(30 + index) if started else None,
        last_answer_at=NOW - timedelta(days=1) if started else None,
        deadlines_done=1,
        deadlines_total=2,
        deadlines_late=1 if index % 5 == 0 else 0,
        quiz_correct=0,
        quiz_answered=0,
        active_members=3,
        indicators=(),
        dimensions=dims,
        finished=started,
        coordinators=(f"Koordinator {index}",),
        trend=(ScorePoint(NOW - timedelta(days=9), Decimal(30)), ScorePoint(NOW, Decimal(45)))
        if index == 1
        else (),
        previous=Previous(NOW - timedelta(days=7), Decimal(35), Decimal(20)) if started else None,
    )


def big_recap(n: int = 45) -> Recap:
    methodology = load_content(CONTENT).methodologies[EDITION]
    units = tuple(_unit(i, methodology) for i in range(1, n + 1))
    return Recap(
        edition=EDITION,
        generated_at=NOW,
        timezone="Asia/Makassar",
        government_name="Pemerintah Provinsi Contoh",
        government_score=Decimal("61.50"),
        government_category="Kualitas Sedang",
        units=units,
        weakest=(),
        deadlines=tuple(
            DeadlineUnitState(
                1, "Maklumat", NOW - timedelta(days=1), u.unit_id, u.name, None, True
            )
            for u in units
            if u.deadlines_late
        ),
        categories=methodology.categories,
        government_category_code="C",
        units_covered=30,
        units_total=n,
        dimension_names=tuple(d.name for d in methodology.all_dimensions),
        editions=(EDITION, "2023"),
    )


def test_chat_pages_stay_under_the_limit_and_name_every_unit() -> None:
    _ = load_catalogs().for_locale("id")
    recap = big_recap()
    pages = recap_render.pages(_, recap)
    assert len(pages) > 1
    texts = [recap_render.page(_, recap, i) for i in range(len(pages))]
    assert all(len(t) <= TELEGRAM_TEXT for t in texts)
    assert all(t.count("<pre>") == t.count("</pre>") for t in texts)
    joined = "\n".join(texts)
    assert "dari 30 dari 45 unit" in joined and "Halaman 1 dari" in texts[0]
    for unit in recap.units:
        # the table cuts long names, the attention list does not
        assert unit.name[:20] in joined
    not_started = [u for u in recap.units if not u.started]
    attention = joined.split("<b>Perlu perhatian</b>")[1].split("<b>Peringkat")[0]
    assert all(u.name in attention for u in not_started)


def test_chart_workbook_and_pdf_fit_telegram_for_45_units(tmp_path: Path) -> None:
    recap = big_recap()
    png = charts.score_chart(recap, title="Perkiraan skor — edisi 2025", note="Perkiraan")
    image = Image.open(io.BytesIO(png))
    assert len(png) < TELEGRAM_PHOTO and sum(image.size) <= 10_000
    assert image.size[1] / image.size[0] <= 20
    book_bytes = xlsx.workbook_bytes(recap)
    assert len(book_bytes) < TELEGRAM_DOCUMENT
    book = load_workbook(io.BytesIO(book_bytes))
    names = book.sheetnames
    assert len(names) == len(set(n.casefold() for n in names)) == 45 + 4
    assert all(len(n) <= 31 for n in names)
    assert not any(n.endswith(")") for n in names)  # told apart by their numbers, not (2)
    assert "UPT Pel. … Nomor 07 & Sekit." in names
    summary = book["Ringkasan"]
    headers = [c.value for c in summary[1]]
    assert headers[4:6] == ["Kategori", "Keterangan kategori"]
    second = dict(zip(headers, [c.value for c in summary[3]], strict=True))
    assert second["Skor prediksi"] == 42 and second["Kategori"] in "ABCDE"
    assert second["Perubahan skor"] == 7 and second["Perubahan cakupan"] == 12
    assert summary["A3"].fill.fgColor.rgb != summary["A4"].fill.fgColor.rgb  # 42 vs not started
    document = pdf.pdf_bytes(recap)
    assert document.startswith(b"%PDF") and len(document) < TELEGRAM_DOCUMENT
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(document))
    assert len(reader.pages) >= 45 + 2  # front page, league table, one section per unit
    front = " ".join(reader.pages[0].extract_text().split())
    assert "Dihitung dari 30 dari 45 unit" in front and "61,50" in front
    (tmp_path / "besar.pdf").write_bytes(document)
    (tmp_path / "besar-chart.png").write_bytes(png)


def test_indonesian_number_notation() -> None:
    assert id_number(Decimal("1234.5")) == "1.234,50"
    assert id_number(Decimal("7"), signed=True) == "+7,00" and id_number(None) == "-"


def test_user_text_is_text_in_every_report() -> None:
    """A coordinator's name or a deadline title is never TeX in the PDF/charts nor a formula in
    the workbook or the CSV (Excel would evaluate it when the Sekda opens the file)."""
    from dataclasses import replace

    from bot.reports.csv_table import csv_text

    recap = big_recap(3)
    first = replace(recap.units[0], name='=HYPERLINK("x") $x^{', coordinators=("@cmd", "-1+1"))
    tricky = replace(
        recap,
        units=(first, *recap.units[1:]),
        deadlines=(DeadlineUnitState(1, "Tarif $x^{ (lama)", NOW, 1, first.name, None, True),),
    )
    assert pdf.pdf_bytes(tricky).startswith(b"%PDF")  # "$x^{" would raise in mathtext
    assert charts.score_chart(tricky, title="$x^{", note="$").startswith(b"\x89PNG")
    book = load_workbook(io.BytesIO(xlsx.workbook_bytes(tricky)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert "f" not in {c.data_type for c in cells}
    assert any(c.value == first.name for c in cells)
    table = csv_text(tricky)
    assert "'=HYPERLINK" in table and ",=HYPERLINK" not in table


def test_page_buttons_keep_the_moment_the_report_was_first_made() -> None:
    """Turning pages compares with reports before the original /rekap, not the rebuilt one."""
    from bot.handlers import callback_data as cd
    from bot.handlers.recap import RecapPage, keyboard

    _ = load_catalogs().for_locale("id")
    recap = big_recap()
    first = int(NOW.timestamp()) - 3600
    markup = keyboard(_, recap, 1, at=first)
    assert markup is not None
    pages = [cd.decode(b.callback_data) for row in markup.inline_keyboard for b in row]
    turns = [p for p in pages if isinstance(p, RecapPage)]
    assert turns and all(p.at == first for p in turns)
    fresh = keyboard(_, recap, 0)
    assert fresh is not None
    assert cd.decode(fresh.inline_keyboard[0][0].callback_data).at == int(NOW.timestamp())
