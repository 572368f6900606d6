"""/tenggat in pages: 20 deadlines each reachable, mark ready and undo, no snooze once ready."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.handlers import callback_data as cd
from bot.handlers.deadline_list import ListReady, ListUndo
from bot.jobs.reminders import Dispatcher, Pacer, dispatcher
from bot.services.reminders import DeadlineDraft
from tests.builders import WITA, member
from tests.conftest import SteppingClock
from tests.e2e.harness import Harness

ADMIN = 900
COORDINATOR = 8201
WORKER = 8202


@pytest.fixture
def sender(harness: Harness) -> Dispatcher:
    found = dispatcher(harness.app)
    found.pacer = Pacer(rate=1e9, per_chat=0, burst=1e9)
    return found


async def _twenty(services: Any) -> list[str]:
    admin = await member(services, ADMIN, None, tz=WITA)
    titles = [f"Bukti nomor {n:02d}" for n in range(1, 21)]
    for day, title in enumerate(titles, start=1):
        await services.reminders.create_deadline(
            admin,
            DeadlineDraft(
                title=title,
                due_at=datetime(2025, 7, 1, 15, 59, tzinfo=UTC) + timedelta(days=day),
                scope={"all": True},
                topics=(),
            ),
        )
    return titles


async def test_twenty_deadlines_paged_and_each_reachable(harness: Harness, services: Any) -> None:
    titles = await _twenty(services)
    coordinator = await member(services, COORDINATOR, "dinkes", role="coordinator")
    total = len(await services.reminders.upcoming(coordinator, limit=None))
    pages = -(-total // 10)
    assert total >= 20 and pages >= 2
    await harness.send(COORDINATOR, "/tenggat")
    seen, edit_buttons = "", []
    for page in range(1, pages + 1):
        text = harness.last_text(COORDINATOR)
        assert f"Halaman {page} dari {pages}." in text
        seen += text
        labels = [label for label, _ in harness.buttons(COORDINATOR)]
        edit_buttons += [label for label in labels if "Ubah" in label]
        if page < pages:
            await harness.press_label(COORDINATOR, "Berikutnya")
    assert all(f"<b>{title}</b>" in seen for title in titles)
    # Every line has its number, and every own-unit deadline its edit button, across pages.
    assert all(f"\n{n}. <b>" in seen for n in range(1, total + 1))
    assert len(set(edit_buttons)) == len(edit_buttons)
    await harness.press_label(COORDINATOR, "Sebelumnya")
    assert f"Halaman {pages - 1} dari {pages}." in harness.last_text(COORDINATOR)


async def test_coordinator_marks_ready_and_undoes_members_get_send_evidence(
    harness: Harness, services: Any
) -> None:
    await _twenty(services)
    await member(services, COORDINATOR, "dinkes", role="coordinator")
    await member(services, WORKER, "dinkes")
    await harness.send(WORKER, "/tenggat")
    worker_labels = [label for label, _ in harness.buttons(WORKER)]
    assert any("Kirim bukti" in label for label in worker_labels)
    assert not any("Sudah siap" in label for label in worker_labels)

    await harness.send(COORDINATOR, "/tenggat")
    await harness.press_label(COORDINATOR, "✅ 1. Sudah siap")
    assert harness.answers()[-1].params["text"] == "Terima kasih!"
    text = harness.last_text(COORDINATOR)
    assert "✅ Sudah siap (ditandai oleh" in text.split("\n2. ")[0]
    assert any("↩️ 1. Belum siap" in label for label, _ in harness.buttons(COORDINATOR))
    await harness.send(WORKER, "/tenggat")
    assert "✅ Sudah siap (ditandai oleh" in harness.last_text(WORKER).split("\n2. ")[0]

    await harness.send(COORDINATOR, "/tenggat")
    await harness.press_label(COORDINATOR, "↩️ 1. Belum siap")
    assert harness.answers()[-1].params["text"] == "Ditandai belum siap."
    assert "ditandai oleh" not in harness.last_text(COORDINATOR).split("\n2. ")[0]
    assert any("✅ 1. Sudah siap" in label for label, _ in harness.buttons(COORDINATOR))


async def test_members_cannot_mark_or_undo_from_the_list(harness: Harness, services: Any) -> None:
    await _twenty(services)
    worker = await member(services, WORKER, "dinkes")
    coordinator = await member(services, COORDINATOR, "dinkes", role="coordinator")
    deadline_id = (await services.reminders.upcoming(worker))[0].deadline.id
    await harness.send(WORKER, "/tenggat")
    await harness.press(WORKER, cd.encode(ListReady(deadline_id, 0)))
    assert (await services.reminders.upcoming(worker))[0].done_at is None
    await services.reminders.mark_done(coordinator, deadline_id)  # ready, by the coordinator
    await harness.press(WORKER, cd.encode(ListUndo(deadline_id, 0)))
    assert len(harness.answers()) == 2
    assert all("koordinator" in a.params.get("text", "") for a in harness.answers())
    assert (await services.reminders.upcoming(worker))[0].done_at is not None  # undo refused


async def test_no_snooze_once_ready(
    harness: Harness, services: Any, clock: SteppingClock, sender: Dispatcher
) -> None:
    admin = await member(services, ADMIN, None, tz=WITA)
    await member(services, WORKER, "dinkes")
    await services.reminders.create_deadline(
        admin,
        DeadlineDraft(
            title="Maklumat dipajang",
            due_at=datetime(2025, 6, 20, 15, 59, tzinfo=UTC),
            scope={"all": True},
            topics=(),
        ),
    )
    clock.now = datetime(2025, 6, 13, 0, 0, tzinfo=UTC)
    await services.reminders.tick()
    await sender.drain()
    snooze = harness.find_button(WORKER, "Ingatkan besok")
    await harness.press_label(WORKER, "Sudah siap")
    edits = harness.api.calls_to("editMessageReplyMarkup")
    assert edits and "Ingatkan besok" not in str(edits[-1].params.get("reply_markup"))
    await harness.press(WORKER, snooze[1], message_id=snooze[0])  # the old button
    assert "sudah ditandai siap" in harness.answers()[-1].params["text"]
