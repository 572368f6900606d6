"""/rekap end to end: text, PNG and XLSX through the fake Bot API; figures equal the database's."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from bot.db.models import AuditRow
from bot.domain.units import Role
from bot.reports.common import local
from tests.builders import ADMIN, add_deadline_done_by, person, seed_two_units, unit_id
from tests.e2e.harness import Harness

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REFUSAL = "Maaf, fitur ini hanya untuk koordinator atau admin"


def _sent(harness: Harness, chat: int, before: int) -> dict[str, Any]:
    calls = [c for c in harness.api.calls[before:] if str(c.get("chat_id")) == str(chat)]
    first: dict[str, Any] = {}
    for call in calls:  # the first of each method: the workbook comes before the PDF
        first.setdefault(call.method, call)
    return first


def _workbook(call: Any) -> Any:
    return load_workbook(io.BytesIO(call.files["document"].data))


async def test_admin_gets_text_png_and_xlsx_matching_the_database(
    harness: Harness, services: Any
) -> None:
    world = await seed_two_units(services)
    await add_deadline_done_by(services, world["admin"], world["dinkes"])
    expected = {
        u.code: u
        for u in (await services.recap.build(edition=services.selfcheck.current_edition)).units
    }
    board = await services.selfcheck.scoreboard(world["dinsos"])
    before = len(harness.api.calls)
    await harness.send(ADMIN, f"/rekap {services.selfcheck.current_edition}")
    sent = _sent(harness, ADMIN, before)
    assert set(sent) == {"sendMessage", "sendPhoto", "sendDocument"}

    text = sent["sendMessage"]["text"]
    assert "<b>Rekap kesiapan</b>" in text and "<pre>" in text
    assert "Dinas Kesehatan" in text and "100,00 A" in text
    assert f"<b>{str(board.government.score).replace('.', ',')}</b>" in text
    assert "Indikator terlemah" in text and "Maklumat" in text

    png = sent["sendPhoto"].files["photo"].data
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.verify()
    assert image.size[0] == 1080

    book = _workbook(sent["sendDocument"])
    assert book.sheetnames[0] == "Ringkasan" and book.sheetnames[-1] == "Tenggat"
    assert len(book.sheetnames) == len(expected) + 4
    assert all(len(name) <= 31 for name in book.sheetnames)
    summary = book["Ringkasan"]
    assert summary.freeze_panes == "A2"
    headers = [c.value for c in summary[1]]
    assert headers[3] == "Skor prediksi" and "Isian terakhir (WITA)" in headers
    rows = {
        row[0]: dict(zip(headers, row, strict=True))
        for row in summary.iter_rows(min_row=2, values_only=True)
        if row[0] in expected
    }
    assert set(rows) == set(expected)
    for code, unit in expected.items():
        row = rows[code]
        assert row["Skor prediksi"] == (float(unit.score) if unit.score is not None else None)
        assert row["Cakupan isian (%)"] == (
            float(unit.coverage) if unit.coverage is not None else None
        )
        assert row["Isian terakhir (WITA)"] == local(unit.last_answer_at, "Asia/Makassar")
        assert (row["Tenggat selesai"], row["Tenggat total"], row["Tenggat terlambat"]) == (
            unit.deadlines_done,
            unit.deadlines_total,
            unit.deadlines_late,
        )
        assert row["Anggota aktif"] == unit.active_members
    assert rows["dinsos"]["Skor prediksi"] == float(board.result.score)
    assert rows["dinkes"]["Skor prediksi"] == 100 and rows["dinkes"]["Kategori"] == "A"
    assert rows["dinkes"]["Penguasaan kuis (%)"] == 100.0 and rows["dinkes"]["Jawaban kuis"] == 1
    government = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Pemerintah")
    assert Decimal(str(government[3])) == board.government.score

    dinsos_sheet = book["Dinas Sosial dan Pemb. Masy."]
    lines = {r[6]: r for r in dinsos_sheet.iter_rows(min_row=2, values_only=True)}
    assert lines["pr-maklumat"][4] == 0 and lines["pr-prosedur"][4] == 0
    assert lines["pr-persyaratan"][4] == 3 and lines["pr-maklumat"][5] == "tidak"
    assert lines["pr-maklumat"][0] == "Dinas Sosial dan Pemberdayaan Masyarakat"
    deadlines = book["Tenggat"]
    assert deadlines.freeze_panes == "A2"
    dates = [r[2] for r in deadlines.iter_rows(min_row=2, values_only=True)]
    assert dates and all(d.tzinfo is None for d in dates)


async def test_coordinator_gets_only_their_unit(harness: Harness, services: Any) -> None:
    await seed_two_units(services)
    coordinator = await person(services, 8201, "dinsos", Role.COORDINATOR, name="Cici")
    before = len(harness.api.calls)
    await harness.send(coordinator.telegram_id, f"/rekap {services.selfcheck.current_edition}")
    sent = _sent(harness, coordinator.telegram_id, before)
    assert "Dinas Sosial" in sent["sendMessage"]["text"]
    assert "Dinas Kesehatan" not in sent["sendMessage"]["text"]
    book = _workbook(sent["sendDocument"])
    assert book.sheetnames == [
        "Ringkasan",
        "Belum mulai",
        "Indikator terlemah",
        "Dinas Sosial dan Pemb. Masy.",
        "Tenggat",
    ]
    codes = {r[0] for r in book["Ringkasan"].iter_rows(min_row=2, max_row=2, values_only=True)}
    assert codes == {"dinsos"}
    units = {r[1] for r in book["Tenggat"].iter_rows(min_row=2, values_only=True)}
    assert units == {"Dinas Sosial dan Pemberdayaan Masyarakat"}


async def test_member_is_refused_and_audited(harness: Harness, services: Any) -> None:
    world = await seed_two_units(services)
    before = len(harness.api.calls)
    await harness.send(world["dinkes"].telegram_id, "/rekap")
    sent = _sent(harness, world["dinkes"].telegram_id, before)
    assert set(sent) == {"sendMessage"} and REFUSAL in sent["sendMessage"]["text"]
    async with services.sessions() as session:
        refused = (
            await session.scalars(
                select(AuditRow).where(
                    AuditRow.outcome == "refused", AuditRow.action == "recap.view"
                )
            )
        ).all()
    assert [(r.actor_user_id, r.unit_id) for r in refused] == [
        (world["dinkes"].user_id, await unit_id(services, "dinkes"))
    ]
