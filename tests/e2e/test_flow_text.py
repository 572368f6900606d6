"""Typed text while a flow waits for a button: read as a choice, else one hint; /batal ends all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.db.models import QaGapRow, QuizAttemptRow, SelfCheckAnswerRow, UserRow
from tests.e2e.harness import Harness
from tests.e2e.steps import register

USER = 7301
HINT = "Silakan pilih dengan tombol di atas"


async def _count(services: Any, model: Any) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _attempt(services: Any) -> QuizAttemptRow:
    async with services.sessions() as session:
        return (
            await session.scalars(select(QuizAttemptRow).order_by(QuizAttemptRow.id.desc()))
        ).first()


async def test_quiz_reads_a_typed_letter_and_hints_at_anything_else(
    harness: Harness, services: Any
) -> None:
    await register(harness, USER)
    await harness.send(USER, "/kuis")
    await harness.press_label(USER, "Campuran")
    attempt = await _attempt(services)
    question = services.quizzes.question(attempt.question_ids[0])
    await harness.send(USER, "Kategori A–E itu apa ya")
    assert HINT in harness.last_text(USER) and "/batal" in harness.last_text(USER)
    assert await _count(services, QaGapRow) == 0
    await harness.send(USER, f"jawabannya {question.answer.upper()}")
    assert "✅ Benar!" in harness.last_text(USER)
    assert any("Lanjut" in label for label, _ in harness.buttons(USER))
    await harness.send(USER, "lanjut")
    assert "Kuis 2/5" in harness.last_text(USER)


async def test_batal_ends_a_quiz(harness: Harness, services: Any) -> None:
    await register(harness, USER)
    await harness.send(USER, "/kuis")
    await harness.press_label(USER, "Campuran")
    await harness.send(USER, "/batal")
    assert "Dibatalkan" in harness.last_text(USER)
    assert (await _attempt(services)).status == "abandoned"
    await harness.send(USER, "a")  # no flow any more: a question for Q&A, not an answer
    assert HINT not in harness.last_text(USER)
    assert "Kuis" not in harness.last_text(USER)


async def test_selfcheck_reads_typed_words_of_an_option(harness: Harness, services: Any) -> None:
    await register(harness, USER)
    await harness.send(USER, "/cek 2025")
    assert "Pertanyaan 1/" in harness.last_text(USER)
    await harness.send(USER, "hmm entahlah bagaimana ya")
    assert HINT in harness.last_text(USER)
    await harness.send(USER, "sebagian besar sih")
    assert "Pertanyaan 2/" in harness.last_text(USER)
    async with services.sessions() as session:
        values = (await session.scalars(select(SelfCheckAnswerRow.value))).all()
    assert values == [2]  # "Tahu sebagian besar"
    await harness.send(USER, "lewati")
    assert "Pertanyaan 3/" in harness.last_text(USER)
    await harness.send(USER, "1")
    assert "Pertanyaan 4/" in harness.last_text(USER)
    assert await _count(services, QaGapRow) == 0
    await harness.send(USER, "/batal")
    assert "Dibatalkan" in harness.last_text(USER)


async def test_a_check_left_on_screen_lets_a_later_question_through(
    harness: Harness, services: Any, clock: Any
) -> None:
    await register(harness, USER)
    await harness.send(USER, "/cek 2025")
    assert "Pertanyaan 1/" in harness.last_text(USER)
    clock.advance(minutes=31)  # walked away; comes back with a question
    await harness.send(USER, "apa itu maklumat pelayanan")
    assert "Maklumat" in harness.last_text(USER) and HINT not in harness.last_text(USER)
    await harness.send(USER, "/cek")
    assert "Pertanyaan 1/" in harness.last_text(USER)  # the check waits where it was
    await harness.send(USER, "sebagian besar sih")  # a fresh screen reads typed answers again
    assert "Pertanyaan 2/" in harness.last_text(USER)


async def test_a_coordinator_types_the_edition_and_checks_their_own_unit(
    harness: Harness, services: Any
) -> None:
    from bot.domain.units import Role
    from tests.builders import person

    await person(services, USER, "dinkes", Role.COORDINATOR)
    await harness.send(USER, "/cek")
    await harness.send(USER, "2025")
    assert "Pertanyaan 1/" in harness.last_text(USER)


async def test_registration_confirmed_by_typing(harness: Harness, services: Any) -> None:
    await harness.send(USER, "/start")
    await harness.press_label(USER, "Dinas Kesehatan")
    await harness.send(USER, "gimana ini")
    assert HINT in harness.last_text(USER)
    await harness.send(USER, "tidak")
    assert "Pilih unit layanan" in harness.last_text(USER)  # the list again
    await harness.press_label(USER, "Dinas Kesehatan")
    await harness.send(USER, "iya betul")
    assert "Tidak ada unit yang cocok" not in " ".join(harness.texts(USER))
    async with services.sessions() as session:
        user = await session.scalar(select(UserRow).where(UserRow.telegram_id == USER))
    assert user is not None and user.unit_id is not None


async def test_typed_yes_to_a_unit_with_a_coordinator_is_a_join_request(
    harness: Harness, services: Any
) -> None:
    from bot.domain.units import Role
    from tests.builders import person

    await person(services, USER + 1, "dinkes", Role.COORDINATOR, name="Cici")
    await harness.send(USER, "/start")
    await harness.press_label(USER, "Dinas Kesehatan")
    await harness.send(USER, "iya betul")
    assert "sudah dikirim ke koordinatornya" in harness.last_text(USER)
    assert "ingin bergabung ke <b>Dinas Kesehatan</b>" in harness.last_text(USER + 1)
    async with services.sessions() as session:
        user = await session.scalar(select(UserRow).where(UserRow.telegram_id == USER))
    assert user is not None and user.unit_id is None and user.pending_unit_id is not None


async def test_new_deadline_steps_read_typed_choices(harness: Harness, services: Any) -> None:
    from bot.domain.units import Role
    from tests.builders import person

    await person(services, USER, "dinkes", Role.COORDINATOR)
    await harness.send(USER, "/tenggat_baru")
    await harness.send(USER, "Maklumat dipajang di loket")
    topics = [label for label, _ in harness.buttons(USER)]
    await harness.send(USER, "apa ini")
    assert HINT in harness.last_text(USER)
    await harness.send(USER, "1")  # the first topic, typed
    assert harness.last_text(USER).startswith("Ketik tanggal tenggatnya")
    await harness.send(USER, "senin depan")
    assert topics[0].rstrip("…") in harness.last_text(USER)  # shown back for confirmation
    await harness.send(USER, "oke")
    assert harness.last_text(USER).startswith("Tersimpan: <b>Maklumat dipajang di loket</b>")
    coordinator = await services.members.get((await person(services, USER, "dinkes")).user_id)
    titles = [s.deadline.title for s in await services.reminders.upcoming(coordinator, limit=None)]
    assert titles.count("Maklumat dipajang di loket") == 1


async def test_broadcast_audience_step_does_not_take_text_as_a_new_draft(
    harness: Harness, services: Any
) -> None:
    from tests.builders import ADMIN, person

    await person(services, ADMIN, None, name="Admin")
    await harness.send(ADMIN, "/siaran")
    await harness.send(ADMIN, "Rapat besok")
    await harness.send(ADMIN, "semua saja")
    assert HINT in harness.last_text(ADMIN)
    await harness.press_label(ADMIN, "Semua")
    assert "Rapat besok" in harness.last_text(ADMIN)
    assert "semua saja" not in harness.last_text(ADMIN)


async def test_new_deadline_suggests_topics_by_its_title(harness: Harness, services: Any) -> None:
    from bot.domain.units import Role
    from bot.handlers.keyboards import short
    from tests.builders import person

    await person(services, USER, "dinkes", Role.COORDINATOR)
    await harness.send(USER, "/tenggat_baru")
    await harness.send(USER, "Foto ram dan toilet difabel")
    ramp = services.content.topic("ind-sarpras-khusus")
    labels = [label for label, _ in harness.buttons(USER)]
    assert labels[0] == short(ramp.title, 60)
    await harness.press_label(USER, labels[0])  # the press resolves the same ordered list
    await harness.send(USER, "senin depan")
    assert ramp.title in harness.last_text(USER)
