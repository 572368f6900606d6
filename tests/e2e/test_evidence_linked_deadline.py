"""Evidence filed under an indicator counts on every open deadline that links the indicator
(default edition: the example timeline links only indicators of the edition in force)."""

from __future__ import annotations

from typing import Any

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
