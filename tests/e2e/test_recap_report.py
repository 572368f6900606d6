"""/rekap as a readiness report: 14 units of which 2 finished a self-check; the dashboard
names the units not started, the chart shows every unit, the XLSX reads itself, the PDF has
every unit; `python -m bot export` writes the same figures; pages and charts are rendered to PNG.

PDF text is extracted with pypdf, pages are rendered with pypdfium2 (both in the `test` extra;
skipped cleanly when missing).
"""

from __future__ import annotations

import asyncio
import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.domain.units import Role
from bot.handlers import callback_data as cd
from bot.reports.common import id_number
from tests.builders import ADMIN, finish, lowest_two, person
from tests.conftest import CONTENT
from tests.e2e.harness import Harness

EDITION = "2025"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def seed(services: Any) -> dict[str, Any]:
    dinkes = await person(services, 8101, "dinkes", name="Ani")
    dinsos = await person(services, 8102, "dinsos", Role.COORDINATOR, name="Beni")
    await person(services, 8103, "kec-bontang-barat", Role.COORDINATOR, name="Citra")
    await finish(services, dinkes, lambda i: i.best.value)
    await finish(services, dinsos, lowest_two)
    admin = await person(services, ADMIN, None, name="Admin")
    return {"admin": admin, "dinsos": dinsos}


def _sent(harness: Harness, chat: int, before: int) -> list[Any]:
    return [c for c in harness.api.calls[before:] if str(c.params.get("chat_id")) == str(chat)]


def _pdf_text(data: bytes) -> tuple[int, str]:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _render(data: bytes, folder: Path, stem: str) -> list[Path]:
    """Every PDF page as a PNG in `folder` (pypdfium2), for a person to look at."""
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(data)
    paths = []
    for index in range(len(document)):
        path = folder / f"{stem}-{index + 1}.png"
        document[index].render(scale=1.5).to_pil().save(path)
        paths.append(path)
    return paths


def _summary(book: Any) -> dict[str, dict[str, Any]]:
    sheet = book["Ringkasan"]
    headers = [c.value for c in sheet[1]]
    rows = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] is None:
            break
        rows[row[0]] = dict(zip(headers, row, strict=False))
    return rows


async def test_admin_rekap_is_a_report_with_every_unit(
    harness: Harness, services: Any, tmp_path: Path, settings: Any, monkeypatch: Any
) -> None:
    await seed(services)
    units = await services.units.list_units()
    assert len(units) == 14
    before = len(harness.api.calls)
    await harness.send(ADMIN, f"/rekap {EDITION}")
    sent = _sent(harness, ADMIN, before)
    assert [c.method for c in sent] == ["sendMessage", "sendPhoto", "sendDocument", "sendDocument"]

    text = sent[0].params["text"]
    assert "dari 2 dari 14 unit" in text and f"edisi {EDITION}" in text
    attention = text.split("<b>Perlu perhatian</b>")[1].split("<b>")[0]
    for unit in units:
        if unit.code not in {"dinkes", "dinsos"}:
            assert unit.name in attention
    assert "Dinas Kesehatan —" not in attention
    assert "Kecamatan Bontang Barat — belum mulai (Citra)" in attention
    assert "<b>Indikator terlemah</b>" in text and "Dinas Sosial" in text
    assert len(text) <= 4096
    print("\n--- /rekap dashboard (14 units, 2 finished) ---\n" + text)

    png = sent[1].files["photo"].data
    assert png.startswith(PNG_SIGNATURE)
    (tmp_path / "rekap-chart.png").write_bytes(png)

    xlsx, pdf = (c.files["document"] for c in sent[2:])
    assert xlsx.filename.endswith(".xlsx") and pdf.filename.endswith(".pdf")
    book = load_workbook(io.BytesIO(xlsx.data))
    summary = book["Ringkasan"]
    assert summary.auto_filter.ref and summary.auto_filter.ref.startswith("A1:")
    assert summary.freeze_panes == "A2"
    rows = _summary(book)
    assert set(rows) == {u.code for u in units}
    assert rows["dinkes"]["Kategori"] == "A" and rows["dinkes"]["Skor prediksi"] == 100
    assert rows["dinsos"]["Kategori"] in {"A", "B", "C", "D", "E"}
    assert rows["dinsos"]["Keterangan kategori"] and rows["bag-organisasi"]["Kategori"] is None
    dimension_columns = [h for h in rows["dinkes"] if str(h).startswith("Dimensi ")]
    assert len(dimension_columns) >= 4
    assert all(isinstance(rows["dinsos"][h], int | float) for h in dimension_columns)
    assert summary.cell(2, 4).number_format.endswith("#,##0.00")
    not_started = [r[1] for r in book["Belum mulai"].iter_rows(min_row=2, values_only=True)]
    assert len(not_started) == 12 and not_started == sorted(not_started, key=str.casefold)
    assert all(len(name) <= 31 and "…" not in name for name in book.sheetnames)

    assert pdf.data.startswith(b"%PDF") and len(pdf.data) < 10_000_000
    pages, pdf_text = _pdf_text(pdf.data)
    assert pages >= 2
    flat = " ".join(pdf_text.split())
    for unit in units:
        assert unit.name in flat, unit.name
    assert "Perkiraan — bukan nilai resmi Ombudsman" in flat
    assert f"Perkiraan nilai: {id_number(services_score(rows))}" in flat
    (tmp_path / "rekap.pdf").write_bytes(pdf.data)
    assert len(_render(pdf.data, tmp_path, "rekap-page")) == pages

    # The export command writes the same figures as /rekap.
    monkeypatch.setenv("BOT_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BOT_CONTENT_DIR", str(CONTENT))
    monkeypatch.setenv("BOT_ADMIN_IDS", "900")
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    import bot.logging_setup
    from bot.cli import main

    monkeypatch.setattr(bot.logging_setup, "setup_logging", lambda *a, **k: None)
    for fmt in ("xlsx", "csv", "pdf"):
        out = tmp_path / f"export.{fmt}"
        code = await asyncio.to_thread(
            main, ["export", "--format", fmt, "--edition", EDITION, "--out", str(out)]
        )
        assert code == 0
    exported = _summary(load_workbook(tmp_path / "export.xlsx"))
    figures = ["Skor prediksi", "Kategori", "Cakupan isian (%)", *dimension_columns]
    assert {c: [r[f] for f in figures] for c, r in exported.items()} == {
        c: [r[f] for f in figures] for c, r in rows.items()
    }
    with (tmp_path / "export.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    for line in table:
        for f in figures:
            value = rows[line["Kode"]][f]
            if isinstance(value, int | float):
                assert float(line[f]) == value, (line["Kode"], f)
            else:
                assert line[f] == ("" if value is None else value), (line["Kode"], f)
    _, exported_text = _pdf_text((tmp_path / "export.pdf").read_bytes())
    for unit_code in ("dinkes", "dinsos"):
        assert id_number(_decimal(rows[unit_code]["Skor prediksi"])) in exported_text


def services_score(rows: dict[str, dict[str, Any]]) -> Decimal:
    """The government estimate: mean of the two finished units, rounded as published."""
    scores = [Decimal(str(rows[c]["Skor prediksi"])) for c in ("dinkes", "dinsos")]
    return (sum(scores, Decimal(0)) / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


async def test_paging_and_edition_buttons_are_answered(harness: Harness, services: Any) -> None:
    world = await seed(services)
    await harness.send(ADMIN, f"/rekap {EDITION}")
    message_id, data = harness.find_button(ADMIN, "Edisi 2023")
    before = len(harness.api.calls)
    await harness.press(ADMIN, data, message_id=message_id)
    methods = [c.method for c in harness.api.calls[before:]]
    assert "answerCallbackQuery" in methods and methods.count("sendDocument") == 2
    # A forged page press (unknown edition) is answered as expired.
    before = len(harness.api.calls)
    await harness.press(ADMIN, cd.encode(_page("1999", 1, 0)))
    answers = [c for c in harness.api.calls[before:] if c.method == "answerCallbackQuery"]
    assert len(answers) == 1 and answers[0].params.get("show_alert")
    # An edition button for an edition without questions: answered, then told which exist.
    before = len(harness.api.calls)
    await harness.press(ADMIN, cd.encode(_edition("2021")))
    methods = [c.method for c in harness.api.calls[before:]]
    assert methods == ["answerCallbackQuery", "sendMessage"]
    assert "Edisi tidak dikenal" in harness.last_text(ADMIN)
    # A forged timestamp is answered as expired, not a traceback.
    before = len(harness.api.calls)
    await harness.press(ADMIN, cd.encode(_page(EDITION, 1, 10**18)))
    answers = [c for c in harness.api.calls[before:] if c.method == "answerCallbackQuery"]
    assert len(answers) == 1 and answers[0].params.get("show_alert")
    # A plain member cannot page an admin's report.
    member = await person(services, 8110, "dinkes", name="Dodi")
    before = len(harness.api.calls)
    await harness.press(member.telegram_id, cd.encode(_page(EDITION, 0, 0)), message_id=1)
    answers = [c for c in harness.api.calls[before:] if c.method == "answerCallbackQuery"]
    assert len(answers) == 1 and "koordinator atau admin" in answers[0].params["text"]
    assert world["dinsos"] is not None


def _edition(edition: str) -> Any:
    from bot.handlers.recap import RecapEdition

    return RecapEdition(edition)


def _page(edition: str, page: int, at: int) -> Any:
    from bot.handlers.recap import RecapPage

    return RecapPage(edition, page, at)


async def test_unknown_edition_gets_a_friendly_answer(harness: Harness, services: Any) -> None:
    await person(services, ADMIN, None, name="Admin")
    await harness.send(ADMIN, "/rekap 1999")
    assert "Edisi tidak dikenal" in harness.last_text(ADMIN)


async def test_unit_card_chart_carries_total_and_category(services: Any, tmp_path: Path) -> None:
    from bot.handlers.selfcheck import _chart_headline, _dimension_png
    from bot.i18n import load_catalogs

    _ = load_catalogs().for_locale("id")
    member = await person(services, 8120, "dinsos", name="Eka")
    result = await finish(services, member, lowest_two)
    unit = result.result
    assert unit.score is not None and unit.category is not None
    assert _chart_headline(_, result) == (
        f"Total {id_number(unit.score)} · kategori {unit.category.code} ({unit.category.label})"
    )
    png = _dimension_png(_, result)
    assert png.startswith(PNG_SIGNATURE)
    (tmp_path / "kartu-unit.png").write_bytes(png)


async def test_next_page_edits_the_dashboard_and_keeps_the_comparison(
    harness: Harness, services: Any, monkeypatch: Any
) -> None:
    from bot.handlers import recap_render

    monkeypatch.setattr(recap_render, "PAGE_LIMIT", 900)  # 14 units: several pages
    await seed(services)
    await harness.send(ADMIN, f"/rekap {EDITION}")
    dashboard = next(c for c in harness.to(ADMIN) if c.method == "sendMessage")
    assert "Halaman 1 dari" in dashboard.params["text"]
    message_id, data = harness.find_button(ADMIN, "Berikutnya")
    before = len(harness.api.calls)
    await harness.press(ADMIN, data, message_id=message_id)
    calls = harness.api.calls[before:]
    edits = [c for c in calls if c.method == "editMessageText"]
    assert len(edits) == 1 and "Halaman 2 dari" in edits[0].params["text"]
    assert len(edits[0].params["text"]) <= 4096
    assert [c.method for c in calls].count("answerCallbackQuery") == 1
    assert not [c for c in calls if c.method in {"sendDocument", "sendPhoto"}]
    async with services.sessions() as session:
        from sqlalchemy import func, select

        from bot.db.models import RecapSnapshotRow

        stored = await session.scalar(select(func.count()).select_from(RecapSnapshotRow))
    assert stored == 1  # paging does not store another report


async def test_coordinator_gets_their_unit_and_its_trend(harness: Harness, services: Any) -> None:
    world = await seed(services)
    services.clock.advance(days=2)
    await finish(services, world["dinsos"], lambda i: i.best.value)
    before = len(harness.api.calls)
    await harness.send(world["dinsos"].telegram_id, f"/rekap {EDITION}")
    sent = _sent(harness, world["dinsos"].telegram_id, before)
    assert [c.method for c in sent] == [
        "sendMessage",
        "sendPhoto",
        "sendPhoto",
        "sendDocument",
        "sendDocument",
    ]
    text = sent[0].params["text"]
    assert "Dinas Sosial" in text and "Dinas Kesehatan" not in text
    pages, pdf_text = _pdf_text(sent[4].files["document"].data)
    assert "Dinas Kesehatan" not in pdf_text and pages >= 2
    assert sent[2].files["photo"].data.startswith(PNG_SIGNATURE)
