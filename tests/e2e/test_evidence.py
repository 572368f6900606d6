"""Evidence end to end: upload a photo and a PDF through the fake Bot API, list, fetch, refuse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.domain.units import Role
from tests.builders import person, unit_id
from tests.e2e.harness import Harness
from tests.factories import as_update, document_update, photo_update

MEMBER = 7101
COORDINATOR = 7102
PDF = b"%PDF-1.4\n% bukti dukung\n" + b"0" * 3000
JPEG = b"\xff\xd8\xff\xe0" + b"1" * 5000


async def _send(harness: Harness, payload: dict[str, Any]) -> None:
    await harness.app.process_update(as_update(payload, harness.app.bot))


async def _pick_indicator(harness: Harness, user: int, dimension: str, indicator: str) -> None:
    await harness.send(user, "/bukti")
    await harness.press_label(user, "Tambah bukti")
    await harness.press_label(user, dimension)
    await harness.press_label(user, indicator)


def _stored_files(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def _storage(settings: Any) -> Path:
    return Path(settings.storage_dir).resolve()


def _pdfs_anywhere(folder: Path) -> list[Path]:
    return [p.resolve() for p in folder.rglob("*") if p.is_file() and p.suffix == ".pdf"]


async def test_photo_and_pdf_are_stored_listed_and_fetched_back(
    harness: Harness, services: Any, api_settings: Any
) -> None:
    await person(services, MEMBER, "dinkes")
    await person(services, COORDINATOR, "dinkes", Role.COORDINATOR, name="Sari")
    await harness.send(MEMBER, "/bukti")
    assert "Belum ada bukti" in harness.last_text(MEMBER)

    await _pick_indicator(harness, MEMBER, "Proses", "Maklumat pelayanan")
    assert "Kirim bukti untuk <b>Maklumat pelayanan" in harness.last_text(MEMBER)
    harness.api.add_file("photo-1", JPEG)
    await _send(harness, photo_update(MEMBER, file_id="photo-1", file_size=len(JPEG)))
    assert "Tersimpan" in harness.last_text(MEMBER)

    await harness.press_label(MEMBER, "Berkas lain untuk indikator ini")
    harness.api.add_file("doc-1", PDF)
    await _send(
        harness,
        document_update(MEMBER, file_id="doc-1", file_name="maklumat.pdf", file_size=len(PDF)),
    )
    assert "Tersimpan: maklumat.pdf" in harness.last_text(MEMBER)

    files = _stored_files(_storage(api_settings))
    assert [p.parent.name for p in files] == ["dinkes", "dinkes"]
    assert sorted(p.suffix for p in files) == [".jpg", ".pdf"]
    assert sorted(p.read_bytes() for p in files) == sorted([JPEG, PDF])

    # The member sees the list but has no fetch buttons; the coordinator has them.
    await harness.send(MEMBER, "/bukti")
    listing = harness.last_text(MEMBER)
    # The checklist is the default edition's, the same one /cek and /skor default to.
    edition = services.selfcheck.current_edition
    total = len(services.content.methodologies[edition].indicators)
    assert f"(edisi {edition})" in listing
    assert f"1 dari {total} indikator sudah punya bukti" in listing
    assert "1. foto" in listing and "2. maklumat.pdf" in listing
    assert not [b for b in harness.buttons(MEMBER) if b[0].startswith("📥")]

    await harness.send(COORDINATOR, "/bukti")
    await harness.press_label(COORDINATOR, "📥 2")
    sent = harness.api.last("sendDocument")
    assert sent.files["document"].data == PDF
    assert sent.files["document"].filename == "maklumat.pdf"
    await harness.press_label(COORDINATOR, "📥 1")
    assert harness.api.last("sendPhoto").files["photo"].data == JPEG


async def test_oversized_and_disallowed_files_are_refused_clearly(
    harness: Harness, services: Any, api_settings: Any
) -> None:
    await person(services, MEMBER, "dinkes")
    await _pick_indicator(harness, MEMBER, "Proses", "Maklumat pelayanan")
    await _send(
        harness,
        document_update(MEMBER, file_id="big", file_name="scan.pdf", file_size=25 * 1024 * 1024),
    )
    assert "terlalu besar" in harness.last_text(MEMBER) and "20 MB" in harness.last_text(MEMBER)
    harness.api.add_file("exe", b"MZ\x90\x00")
    await _send(
        harness,
        document_update(
            MEMBER,
            file_id="exe",
            file_name="setup.exe",
            mime_type="application/x-msdownload",
            file_size=4,
        ),
    )
    assert "Jenis berkas ini tidak diterima" in harness.last_text(MEMBER)
    # The declared size lied: the downloaded bytes are checked too.
    services.evidence._max_bytes = 1000
    harness.api.add_file("liar", PDF)
    await _send(harness, document_update(MEMBER, file_id="liar", file_size=10))
    assert "terlalu besar" in harness.last_text(MEMBER)
    assert not harness.api.calls_to("getFile")[1:]  # only the liar was downloaded
    assert _stored_files(_storage(api_settings)) == []


async def test_crafted_file_names_never_leave_the_storage_folder(
    harness: Harness, services: Any, api_settings: Any, tmp_path: Path
) -> None:
    await person(services, MEMBER, "dinkes")
    names = [
        "../../etc/passwd.pdf",
        "..\\..\\x.pdf",
        "/etc/shadow.pdf",
        "C:\\Windows\\w.pdf",
        "nul\x00byte.pdf",
        "....//....//y.pdf",
    ]
    for number, name in enumerate(names):
        await _pick_indicator(harness, MEMBER, "Proses", "Maklumat pelayanan")
        harness.api.add_file(f"crafted-{number}", PDF)
        await _send(
            harness,
            document_update(
                MEMBER, file_id=f"crafted-{number}", file_name=name, file_size=len(PDF)
            ),
        )
        assert "Tersimpan" in harness.last_text(MEMBER), name
    root = _storage(api_settings)
    everything = _pdfs_anywhere(tmp_path)
    assert len(everything) == len(names)
    assert all(p.parent == root / "dinkes" for p in everything)
    assert all(len(p.stem) == 32 for p in everything)
    items = await services.evidence.list_for_unit(
        await person(services, MEMBER, "dinkes"), unit_id=await unit_id(services, "dinkes")
    )
    assert [i.display_name for i in items] == [
        "passwd.pdf",
        "x.pdf",
        "shadow.pdf",
        "w.pdf",
        "nulbyte.pdf",
        "y.pdf",
    ]


async def test_file_without_picking_an_indicator_gets_one_question(
    harness: Harness, services: Any
) -> None:
    # Not "send it again": where should it go? Nothing is downloaded before the answer.
    await person(services, MEMBER, "dinkes")
    await _send(harness, document_update(MEMBER, file_id="stray"))
    assert "Simpan sebagai bukti?" in harness.last_text(MEMBER)
    assert not harness.api.calls_to("getFile")
