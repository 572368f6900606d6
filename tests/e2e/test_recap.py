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
from tests.e2e.harness import Harness
from tests.e2e.people import ADMIN, person, unit_id
from tests.services.test_recap_service import add_deadline_done_by, seed_two_units

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REFUSAL = "Maaf, fitur ini hanya untuk koordinator atau admin"


def _sent(harness: Harness, chat: int, before: int) -> dict[str, Any]:
    calls = [c for c in harness.api.calls[before:] if str(c.get("chat_id")) == str(chat)]
    return {c.method: c for c in calls}


def _workbook(call: Any) -> Any:
    return load_workbook(io.BytesIO(call.files["document"].data))


async def test_admin_gets_text_png_and_xlsx_matching_the_database(
    harness: Harness, services: Any
) -> None:
    world = await seed_two_units(services)
    await add_deadline_done_by(services, world["admin"], world["dinkes"])
    expected = {u.code: u for u in (await services.recap.build(edition=services.selfcheck.current_edition)).units}
    board = await services.selfcheck.scoreboard(world["dinsos"])
    before = len(harness.api.calls)
    await harness.send(ADMIN, "/rekap")
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
    assert len(book.sheetnames) == len(expected) + 2
    assert all(len(name) <= 31 for name in book.sheetnames)
    summary = book["Ringkasan"]
    assert summary.freeze_panes == "A2"
    headers = [c.value for c in summary[1]]
    assert headers[3] == "Skor prediksi" and "Asia/Makassar" in headers[6]
    rows = {
        row[0]: row for row in summary.iter_rows(min_row=2, values_only=True) if row[0] in expected
    }
    assert set(rows) == set(expected)
    for code, unit in expected.items():
        row = rows[code]
        assert row[3] == (float(unit.score) if unit.score is not None else None)
        assert row[5] == (float(unit.coverage) if unit.coverage is not None else None)
        assert row[6] == local(unit.last_answer_at, "Asia/Makassar")
        assert row[7:10] == (unit.deadlines_done, unit.deadlines_total, unit.deadlines_late)
        assert row[12] == unit.active_members
    assert rows["dinsos"][3] == float(board.result.score)
    assert isinstance(rows["dinkes"][3], int | float) and rows["dinkes"][3] == 100
    assert rows["dinkes"][10] == 100.0 and rows["dinkes"][11] == 1
    government = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Pemerintah")
    assert Decimal(str(government[3])) == board.government.score

    dinsos_sheet = book["Dinas Sosial dan Pemberdayaan Ma"[:31]]
    lines = {r[1]: r for r in dinsos_sheet.iter_rows(min_row=2, values_only=True)}
    assert lines["pr-maklumat"][4] == 0 and lines["pr-prosedur"][4] == 0
    assert lines["pr-persyaratan"][4] == 3 and lines["pr-maklumat"][5] == "tidak"
    deadlines = book["Tenggat"]
    assert deadlines.freeze_panes == "A2"
    dates = [r[2] for r in deadlines.iter_rows(min_row=2, values_only=True)]
    assert dates and all(d.tzinfo is None for d in dates)


async def test_coordinator_gets_only_their_unit(harness: Harness, services: Any) -> None:
    await seed_two_units(services)
    coordinator = await person(services, 8201, "dinsos", Role.COORDINATOR, name="Cici")
    before = len(harness.api.calls)
    await harness.send(coordinator.telegram_id, "/rekap")
    sent = _sent(harness, coordinator.telegram_id, before)
    assert "Dinas Sosial" in sent["sendMessage"]["text"]
    assert "Dinas Kesehatan" not in sent["sendMessage"]["text"]
    book = _workbook(sent["sendDocument"])
    assert book.sheetnames == ["Ringkasan", "Dinas Sosial dan Pemberdayaan M", "Tenggat"]
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
