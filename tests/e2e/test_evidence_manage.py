"""Evidence that can be managed: listing details, delete, replace, files sent outside a flow,
and indicator evidence counted on the deadlines that link the indicator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import AuditRow, EvidenceRow
from bot.domain.units import Role
from bot.handlers import admin_render as view
from bot.handlers import callback_data as cd
from tests.builders import person
from tests.e2e.harness import Harness
from tests.factories import as_update, document_update, photo_update
from tests.fakes.bot_api import FakeBotAPI

MEMBER = 8301
COORDINATOR = 8302
JPEG = b"\xff\xd8\xff\xe0" + b"1" * 5000
PDF = b"%PDF-1.4\n% bukti dukung\n" + b"0" * 3000


@pytest.fixture
def settings(settings_factory: Any) -> Any:
    return settings_factory(edition="2024")  # explicit: the default edition is changing


@pytest.fixture
def api_settings(settings_factory: Any, bot_api: FakeBotAPI) -> Any:
    return settings_factory(
        token="123456:TEST-TOKEN",
        api_base_url=bot_api.base_url,
        api_file_url=bot_api.base_file_url,
        edition="2024",
    )


async def _send(harness: Harness, payload: dict[str, Any]) -> None:
    await harness.app.process_update(as_update(payload, harness.app.bot))


def _files(settings: Any) -> list[Path]:
    return sorted(p for p in Path(settings.storage_dir).rglob("*") if p.is_file())


async def _rows(services: Any) -> list[EvidenceRow]:
    async with services.sessions() as session:
        return list((await session.scalars(select(EvidenceRow).order_by(EvidenceRow.id))).all())


async def _ramp_photo(harness: Harness, caption: str | None = "Ram pintu depan") -> None:
    await harness.send(MEMBER, "/bukti")
    await harness.press_label(MEMBER, "Tambah bukti")
    await harness.press_label(MEMBER, "Input")
    await harness.press_label(MEMBER, "Ketersediaan sarana prasarana bagi")
    harness.api.add_file("ramp", JPEG)
    await _send(
        harness, photo_update(MEMBER, file_id="ramp", caption=caption, file_size=len(JPEG))
    )
    assert "Tersimpan" in harness.last_text(MEMBER)


async def test_listing_shows_uploader_date_and_caption_and_coordinator_deletes(
    harness: Harness, services: Any, api_settings: Any
) -> None:
    await person(services, MEMBER, "dinkes", name="Budi")
    await person(services, COORDINATOR, "dinkes", Role.COORDINATOR, name="Sari")
    await _ramp_photo(harness)
    await harness.send(COORDINATOR, "/bukti")
    listing = harness.last_text(COORDINATOR)
    assert "1. foto — 5 KB — 12 Jun 2025 — oleh Budi" in listing
    assert "“Ram pintu depan”" in listing

    # A member cannot delete, even with a forged button.
    (row,) = await _rows(services)
    await harness.press(MEMBER, cd.encode(view.EvidenceDelete(row.id)))
    assert len(await _rows(services)) == 1 and len(_files(api_settings)) == 1

    await harness.press_label(COORDINATOR, "✏️ 1")
    details = harness.last_text(COORDINATOR)
    assert "Oleh: Budi" in details and "Keterangan: Ram pintu depan" in details
    await harness.press_label(COORDINATOR, "Hapus")
    assert harness.answers()[-1].params["text"] == "Dihapus."
    assert await _rows(services) == [] and _files(api_settings) == []
    async with services.sessions() as session:
        audit = (
            await session.scalars(select(AuditRow).where(AuditRow.action == "evidence.delete"))
        ).all()
    refused = [a for a in audit if a.outcome == "refused"]
    done = [a for a in audit if a.outcome != "refused"]
    assert [a.detail["evidence_id"] for a in refused] == [row.id]  # the member's forged press
    assert [(a.detail["evidence_id"], a.detail["uploaded_by"]) for a in done] == [
        (row.id, row.uploaded_by)
    ]
    await harness.press(COORDINATOR, cd.encode(view.EvidenceDelete(row.id)))  # twice: expired
    assert harness.answers()[-1].params["text"].startswith("Tombol ini sudah tidak berlaku")


async def test_coordinator_replaces_a_file(
    harness: Harness, services: Any, api_settings: Any
) -> None:
    await person(services, MEMBER, "dinkes")
    await person(services, COORDINATOR, "dinkes", Role.COORDINATOR, name="Sari")
    await _ramp_photo(harness, caption=None)
    await harness.send(COORDINATOR, "/bukti")
    await harness.press_label(COORDINATOR, "✏️ 1")
    await harness.press_label(COORDINATOR, "Ganti")
    assert "Berkas baru akan menggantikan" in harness.last_text(COORDINATOR)
    harness.api.add_file("better", PDF)
    await _send(
        harness,
        document_update(COORDINATOR, file_id="better", file_name="ram.pdf", file_size=len(PDF)),
    )
    assert "Berkas sebelumnya sudah dihapus." in harness.last_text(COORDINATOR)
    (row,) = await _rows(services)
    assert row.original_name == "ram.pdf" and row.indicator_id == "in-sarpras-khusus"
    assert [p.read_bytes() for p in _files(api_settings)] == [PDF]


async def test_photo_outside_a_flow_is_saved_after_one_question(
    harness: Harness, services: Any, api_settings: Any
) -> None:
    await person(services, MEMBER, "dinkes")
    harness.api.add_file("stray", JPEG)
    await _send(harness, photo_update(MEMBER, file_id="stray", caption="Ram", file_size=len(JPEG)))
    assert "Simpan sebagai bukti?" in harness.last_text(MEMBER)
    assert _files(api_settings) == []
    offered = [(label, cd.decode(data)) for label, data in harness.buttons(MEMBER)]
    label, first = next((label, p) for label, p in offered if label.startswith("📅 "))
    await harness.press_label(MEMBER, label)  # one press: the nearest open deadline
    assert "Tersimpan" in harness.last_text(MEMBER)
    assert label[2:].rstrip("…") in harness.last_text(MEMBER)
    (row,) = await _rows(services)
    assert row.deadline_id == first.deadline_id and row.caption == "Ram"
    assert len(_files(api_settings)) == 1


async def test_photo_outside_a_flow_filed_under_an_indicator(
    harness: Harness, services: Any
) -> None:
    await person(services, MEMBER, "dinkes")
    harness.api.add_file("stray", JPEG)
    await _send(harness, photo_update(MEMBER, file_id="stray", file_size=len(JPEG)))
    await harness.press_label(MEMBER, "Pilih indikator")
    await harness.press_label(MEMBER, "Input")
    await harness.press_label(MEMBER, "Ketersediaan sarana prasarana bagi")
    assert "Tersimpan" in harness.last_text(MEMBER)
    (row,) = await _rows(services)
    assert row.indicator_id == "in-sarpras-khusus" and row.deadline_id is None
