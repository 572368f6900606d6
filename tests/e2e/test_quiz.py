"""/kuis end to end: a role drill of five questions, explanations, the final score, the store."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db.models import QuizAnswerRow, QuizAttemptRow
from bot.domain.quiz import years_label
from bot.handlers import callback_data as cd
from bot.handlers.quiz import QuizAnswer, QuizNext
from tests.e2e.harness import Harness
from tests.e2e.steps import register

USER = 7201


async def _attempt(services: Any) -> QuizAttemptRow:
    async with services.sessions() as session:
        return (
            await session.scalars(select(QuizAttemptRow).order_by(QuizAttemptRow.id.desc()))
        ).first()


async def test_five_question_quiz_completes_with_stored_result(
    harness: Harness, services: Any
) -> None:
    await register(harness, USER)
    await harness.send(USER, "/kuis")
    assert "Peran mana yang ingin Anda latih?" in harness.last_text(USER)
    await harness.press_label(USER, "Pengelola pengaduan")
    attempt = await _attempt(services)
    assert attempt.drill == "pengelola-pengaduan" and len(attempt.question_ids) == 5
    questions = {q.id: q for q in services.content.quizzes}
    assert all("pengelola-pengaduan" in questions[qid].roles for qid in attempt.question_ids)

    for position, qid in enumerate(attempt.question_ids):
        question = questions[qid]
        assert f"Kuis {position + 1}/5" in harness.last_text(USER)
        # Right on the first three, wrong on the last two.
        wrong = next(k for k, _ in question.options if k != question.answer)
        choice = question.answer if position < 3 else wrong
        await harness.press(USER, cd.encode(QuizAnswer(attempt.id, position, choice)))
        feedback = [t for t in harness.texts(USER) if f"Kuis {position + 1}/5" in t][-1]
        assert ("✅ Benar!" in feedback) == (position < 3)
        assert "Jawaban yang benar" in feedback or position < 3
        labels = [label for label, _ in harness.buttons(USER)]
        assert any(label.startswith("📖 ") for label in labels)
        if position < 4:
            await harness.press_label(USER, "Lanjut")

    summary = harness.last_text(USER)
    assert "Kuis selesai!</b> Skor Anda: 3/5." in summary
    assert "Penguasaan Anda sejauh ini, per topik:" in summary
    done = await _attempt(services)
    assert done.status == "done" and done.correct == 3 and done.finished_at is not None
    async with services.sessions() as session:
        rows = (await session.scalars(select(QuizAnswerRow).order_by(QuizAnswerRow.id))).all()
    assert [r.correct for r in rows] == [True, True, True, False, False]
    assert [r.question_id for r in rows] == done.question_ids
    assert len(harness.answers()) == 2 + 1 + 5 + 4


async def test_explanation_and_topic_button(harness: Harness, services: Any) -> None:
    await register(harness, USER)
    await harness.send(USER, "/kuis")
    await harness.press_label(USER, "Campuran")
    attempt = await _attempt(services)
    question = next(q for q in services.content.quizzes if q.id == attempt.question_ids[0])
    await harness.press(USER, cd.encode(QuizAnswer(attempt.id, 0, question.answer)))
    assert question.explanation.split()[0] in harness.last_text(USER)
    await harness.press_label(USER, "📖")
    topic = services.content.topic(question.topic)
    assert f"<b>{topic.title}</b>" in harness.last_text(USER)


async def test_quiz_stale_double_forged_and_foreign_presses(
    harness: Harness, services: Any
) -> None:
    await register(harness, USER)
    await register(harness, 7299)
    await harness.send(USER, "/kuis")
    await harness.press_label(USER, "Pimpinan unit")
    attempt = await _attempt(services)
    first = cd.encode(QuizAnswer(attempt.id, 0, "a"))
    await harness.press(USER, first)
    await harness.press(USER, first)  # double press
    await harness.press(USER, cd.encode(QuizAnswer(attempt.id, 1, "a")))  # not shown yet
    await harness.press(USER, cd.encode(QuizAnswer(attempt.id, 0, "z")))  # forged choice
    await harness.press(7299, first, message_id=1)  # someone else
    await harness.press(USER, cd.encode(QuizNext(attempt.id, 3)))  # wrong position
    assert all("sudah tidak berlaku" in a.params["text"] for a in harness.answers()[-5:])
    async with services.sessions() as session:
        rows = (await session.scalars(select(QuizAnswerRow))).all()
    assert len(rows) == 1
    # A new round replaces the unfinished one; its buttons expire.
    await harness.send(USER, "/kuis")
    await harness.press_label(USER, "Campuran")
    await harness.press(USER, cd.encode(QuizNext(attempt.id, 0)))
    assert "sudah tidak berlaku" in harness.answers()[-1].params["text"]


async def test_question_screen_names_the_assessment_year(harness: Harness, services: Any) -> None:
    await register(harness, USER)
    await harness.send(USER, "/kuis")
    await harness.press_label(USER, "Campuran")
    attempt = await _attempt(services)
    questions = {q.id: q for q in services.content.quizzes}
    for position, qid in enumerate(attempt.question_ids):
        question = questions[qid]
        screen = harness.last_text(USER)
        assert f"Kuis {position + 1}/5" in screen
        if question.editions:
            assert f"penilaian {years_label(question.editions)}" in screen
        else:
            assert "penilaian 20" not in screen.split("\n")[0]
        await harness.press(USER, cd.encode(QuizAnswer(attempt.id, position, question.answer)))
        if position < 4:
            await harness.press_label(USER, "Lanjut")
