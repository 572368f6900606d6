"""Evidence filed under an indicator counts on every open deadline that links the indicator
(default edition: the example timeline links only indicators of the edition in force)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.db.models import EvidenceRow
from tests.builders import person
from tests.e2e.harness import Harness
from tests.factories import as_update, photo_update

MEMBER = 8311
JPEG = b"\xff\xd8\xff\xe0" + b"1" * 5000
DEADLINE = "Kebijakan kompensasi tertulis dan catatan pemberiannya"  # links in-kompensasi


def _deadline_block(text: str) -> str:
    return text.split(f"<b>{DEADLINE}</b>")[1].split("\n\n")[0]


async def test_indicator_evidence_counts_on_the_linked_deadline(
    harness: Harness, services: Any
) -> None:
    await person(services, MEMBER, "dinkes")
    await harness.send(MEMBER, "/tenggat")
    assert "📎" not in _deadline_block(harness.last_text(MEMBER))
    await harness.send(MEMBER, "/bukti")
    await harness.press_label(MEMBER, "Tambah bukti")
    await harness.press_label(MEMBER, "Input")
    await harness.press_label(MEMBER, "Pemberian kompensasi")
    harness.api.add_file("policy", JPEG)
    update = photo_update(MEMBER, file_id="policy", caption="SK kompensasi", file_size=len(JPEG))
    await harness.app.process_update(as_update(update, harness.app.bot))
    assert "Tersimpan" in harness.last_text(MEMBER)
    await harness.send(MEMBER, "/tenggat")
    assert "📎 1 bukti" in _deadline_block(harness.last_text(MEMBER))


async def test_a_stray_file_left_unfiled_is_not_stored_by_a_later_add(
    harness: Harness, services: Any
) -> None:
    await person(services, MEMBER, "dinkes")
    harness.api.add_file("stray", JPEG)
    stray = photo_update(MEMBER, file_id="stray", caption="salah kirim", file_size=len(JPEG))
    await harness.app.process_update(as_update(stray, harness.app.bot))
    assert "Simpan sebagai bukti?" in harness.last_text(MEMBER)  # ignored by the member
    await harness.send(MEMBER, "/bukti")
    await harness.press_label(MEMBER, "Tambah bukti")
    await harness.press_label(MEMBER, "Input")
    await harness.press_label(MEMBER, "Pemberian kompensasi")
    assert "Tersimpan" not in harness.last_text(MEMBER)  # it asks for the new file instead
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(EvidenceRow)) == 0
