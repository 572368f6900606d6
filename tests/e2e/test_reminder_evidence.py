"""Evidence sent from a reminder, end to end: the 📎 button, a file as a reply, refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import AuditRow, DeadlineRow
from bot.handlers import callback_data as cd
from bot.handlers.reminder_evidence_data import ReminderEvidence
from bot.jobs.reminders import Dispatcher, Pacer, dispatcher
from tests.builders import member, new_deadline, unit_id
from tests.conftest import SteppingClock
from tests.e2e.harness import Harness
from tests.e2e.steps import deadline, reminders_to
from tests.factories import as_update, document_update, photo_update
from tests.fakes.bot_api import Json

PDF = b"%PDF-1.4\n% bukti tenggat\n" + b"0" * 2000
JPEG = b"\xff\xd8\xff\xe0" + b"1" * 3000
H7 = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)  # 08.00 WITA, seven days before DUE
TITLE = "Maklumat &lt;dipajang&gt;"


@pytest.fixture
def sender(harness: Harness) -> Dispatcher:
    """The application's sender with pacing off (tests never wait for wall-clock time)."""
    found = dispatcher(harness.app)
    found.pacer = Pacer(rate=1e9, per_chat=0, burst=1e9)
    return found


async def _remind(services: Any, sender: Dispatcher, clock: SteppingClock) -> None:
    clock.now = H7
    await services.reminders.tick()
    await sender.drain()


async def _send(harness: Harness, payload: Json) -> None:
    await harness.app.process_update(as_update(payload, harness.app.bot))


def _reminder_message(harness: Harness, chat: int) -> Json:
    """The message the bot sent for the latest reminder in `chat` (what a reply quotes)."""
    for call in reversed(harness.api.messages_to(chat)):
        if "Pengingat bukti dukung" in str(call.params.get("text")):
            return dict(call.result)
    raise AssertionError("no reminder sent")


def _files(api_settings: Any) -> list[Path]:
    return sorted(p for p in Path(api_settings.storage_dir).rglob("*") if p.is_file())


async def _indicators(services: Any, deadline_id: int, indicators: list[str]) -> None:
    async with services.sessions.begin() as session:
        (await session.get(DeadlineRow, deadline_id)).indicators = indicators


async def test_button_then_photo_is_stored_for_the_deadline_and_shown_everywhere(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher, api_settings: Any
) -> None:
    await member(services, 101, "dinkes")
    await member(services, 102, "dinkes")
    deadline_id = await deadline(services)
    await _indicators(services, deadline_id, ["pr-maklumat"])
    await _remind(services, sender, clock)
    labels = [label for label, _ in harness.buttons(101)]
    assert labels == ["✅ Sudah siap", "📎 Kirim bukti", "📘 Panduan", "⏰ Ingatkan besok"]

    answered = len(harness.answers())
    await harness.press_label(101, "Kirim bukti")
    assert len(harness.answers()) == answered + 1
    assert f"Kirim bukti untuk tenggat <b>{TITLE}</b>" in harness.last_text(101)
    await harness.send(101, "ini fotonya")  # text while a file is awaited
    assert "Saya menunggu foto atau dokumen" in harness.last_text(101)

    harness.api.add_file("photo-1", JPEG)
    await _send(harness, photo_update(101, file_id="photo-1", file_size=len(JPEG)))
    saved = harness.last_text(101)
    assert f"📎 Tersimpan: foto (3 KB) sebagai bukti untuk tenggat <b>{TITLE}</b>." in saved
    assert "di bawah indikator <b>Maklumat pelayanan" in saved
    (stored,) = _files(api_settings)
    assert stored.parent.name == "dinkes" and stored.read_bytes() == JPEG

    # Marking it ready works as before, from the confirmation.
    await harness.press_label(101, "Sudah siap")
    assert "sudah siap untuk unit Anda" in harness.last_text(101)

    await harness.send(102, "/tenggat")
    listing = harness.last_text(102)
    assert "✅ Sudah siap (ditandai oleh" in listing and "📎 1 bukti" in listing
    await harness.send(102, "/bukti")
    evidence = harness.last_text(102)
    name = services.evidence.indicator("pr-maklumat").name  # in the default edition
    assert f"<b>{name}</b>\n1. foto — 3 KB" in evidence
    assert f"📅 {TITLE}" in evidence

    # Another unit sees neither the file nor its count.
    await member(services, 103, "dinsos")
    await harness.send(103, "/tenggat")
    assert "📎" not in harness.last_text(103)
    await harness.send(103, "/bukti")
    assert "Belum ada bukti" in harness.last_text(103)


async def test_pdf_sent_as_a_reply_to_the_reminder(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher, api_settings: Any
) -> None:
    await member(services, 101, "dinkes")
    await deadline(services)
    await _remind(services, sender, clock)
    reminder = _reminder_message(harness, 101)
    harness.api.add_file("doc-1", PDF)
    await _send(
        harness,
        document_update(
            101, file_id="doc-1", file_name="maklumat.pdf", file_size=len(PDF), reply_to=reminder
        ),
    )
    assert f"📎 Tersimpan: maklumat.pdf (2 KB) sebagai bukti untuk tenggat <b>{TITLE}</b>" in (
        harness.last_text(101)
    )
    assert [p.suffix for p in _files(api_settings)] == [".pdf"]
    await harness.send(101, "/bukti")
    assert f"<b>Tenggat: {TITLE}</b>\n1. maklumat.pdf" in harness.last_text(101)


async def test_reply_to_a_merged_reminder_asks_which_deadline(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher, api_settings: Any
) -> None:
    admin = await member(services, 900, None)
    await member(services, 101, "dinkes")
    await new_deadline(services, admin, title="Maklumat")
    second = await new_deadline(services, admin, title="SK <petugas>")
    await _remind(services, sender, clock)
    (text,) = reminders_to(harness, 101)
    assert "1. <b>Maklumat</b>" in text and "2. <b>SK &lt;petugas&gt;</b>" in text
    assert "📎 2. Kirim bukti" in [label for label, _ in harness.buttons(101)]

    harness.api.add_file("doc-2", PDF)
    await _send(
        harness,
        document_update(
            101,
            file_id="doc-2",
            file_size=len(PDF),
            reply_to=_reminder_message(harness, 101),
        ),
    )
    assert "Berkas ini untuk tenggat yang mana?" in harness.last_text(101)
    assert _files(api_settings) == []
    message_id, data = harness.find_button(101, "SK <petugas>")
    # Another file before answering is not silently taken.
    await _send(harness, document_update(101, file_id="doc-3", file_size=len(PDF)))
    assert "Pilih dahulu tenggat" in harness.last_text(101)

    await harness.press(101, data, message_id=message_id)
    assert "sebagai bukti untuk tenggat <b>SK &lt;petugas&gt;</b>" in harness.last_text(101)
    rows = await services.evidence.list_for_unit(
        await member(services, 101, "dinkes"), unit_id=await unit_id(services, "dinkes")
    )
    assert [r.deadline_id for r in rows] == [second]
    await harness.press(101, data, message_id=message_id)  # a second press stores nothing more
    assert harness.answers()[-1].params["text"] == "Tombol ini sudah tidak berlaku."
    assert len(_files(api_settings)) == 1


async def test_reply_to_a_message_that_is_not_a_reminder_is_explained(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher, api_settings: Any
) -> None:
    await member(services, 101, "dinkes")
    await deadline(services)
    await _remind(services, sender, clock)
    await harness.send(101, "/tenggat")
    listing = dict(harness.api.messages_to(101)[-1].result)
    harness.api.add_file("doc-4", PDF)
    await _send(
        harness, document_update(101, file_id="doc-4", file_size=len(PDF), reply_to=listing)
    )
    assert "Pesan yang Anda balas bukan pengingat" in harness.last_text(101)
    assert _files(api_settings) == []


async def test_other_units_stale_and_forged_buttons_are_answered(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher, api_settings: Any
) -> None:
    dinkes = await unit_id(services, "dinkes")
    await member(services, 101, "dinkes")
    await member(services, 103, "dinsos")
    deadline_id = await deadline(services, scope={"unit_ids": [dinkes]})
    await _remind(services, sender, clock)
    message_id = harness.last_message_id(101)

    # A member of another unit forging the dinkes deadline's button: refused (and audited),
    # and no flow starts, so their next photo is not taken for that deadline.
    await harness.press(103, cd.encode(ReminderEvidence(deadline_id)), message_id=1)
    assert harness.answers()[-1].params["text"] == (
        "Maaf, tenggat ini bukan untuk unit Anda: bukti dukung hanya bisa dikirim untuk tenggat "
        "unit Anda sendiri."
    )
    async with services.sessions() as session:
        refused = (
            await session.scalars(
                select(AuditRow).where(
                    AuditRow.action == "evidence.upload", AuditRow.outcome == "refused"
                )
            )
        ).all()
    assert [r.detail["deadline_id"] for r in refused] == [deadline_id]
    harness.api.add_file("photo-x", JPEG)
    await _send(harness, photo_update(103, file_id="photo-x", file_size=len(JPEG)))
    # Not stored for that deadline: the stray photo only gets "Simpan sebagai bukti?", and
    # the other unit's deadline is not among its choices.
    assert "Simpan sebagai bukti?" in harness.last_text(103)
    offered = [cd.decode(data) for _, data in harness.buttons(103)]
    assert not [p for p in offered if getattr(p, "deadline_id", None) == deadline_id]

    for data in (cd.encode(ReminderEvidence(deadline_id + 99)), "rb1.s:abc", "rb1.s"):
        answered = len(harness.answers())
        await harness.press(101, data, message_id=message_id)
        assert len(harness.answers()) == answered + 1
        assert harness.answers()[-1].params["text"].startswith("Tombol ini sudah tidak berlaku.")

    # /batal stops the wait; the next photo is not stored.
    await harness.press_label(101, "Kirim bukti")
    await harness.send(101, "/batal")
    harness.api.add_file("photo-2", JPEG)
    await _send(harness, photo_update(101, file_id="photo-2", file_size=len(JPEG)))
    assert "Simpan sebagai bukti?" in harness.last_text(101)  # asked, not stored
    assert _files(api_settings) == []
