"""Quiz selection: missed questions come back sooner, recently seen later; seeded and pure."""

from __future__ import annotations

from random import Random

from bot.domain.quiz import (
    MAX_MISSED_PER_QUIZ,
    MIXED,
    QuestionHistory,
    QuizQuestion,
    mastery_by_topic,
    questions_for,
    select_questions,
)


def _q(n: int, roles: tuple[str, ...] = ("pimpinan",)) -> QuizQuestion:
    return QuizQuestion(
        id=f"q{n}",
        question=f"Soal {n}?",
        options=(("a", "x"), ("b", "y")),
        answer="a",
        explanation="karena",
        topic=f"t{n % 3}",
        roles=roles,
        difficulty=1,
        sources=(),
        theme="tes",
    )


QUESTIONS = [_q(n) for n in range(20)]


def _seen(qid: str, last_seen: int, correct: bool) -> QuestionHistory:
    return QuestionHistory(qid, 1, last_seen, correct)


def test_same_seed_same_draw_and_five_distinct() -> None:
    first = select_questions(QUESTIONS, {}, Random(7))
    assert [q.id for q in first] == [q.id for q in select_questions(QUESTIONS, {}, Random(7))]
    assert len({q.id for q in first}) == 5


def test_missed_questions_come_back_first_capped() -> None:
    history = {f"q{n}": _seen(f"q{n}", n, correct=False) for n in range(5)}
    for seed in range(20):
        ids = {q.id for q in select_questions(QUESTIONS, history, Random(seed))}
        missed = ids & set(history)
        # The least recently missed come back, but never more than the cap.
        assert missed == {"q0", "q1", "q2"} and len(missed) == MAX_MISSED_PER_QUIZ


def test_unseen_before_known_and_oldest_known_first() -> None:
    history = {q.id: _seen(q.id, i, correct=True) for i, q in enumerate(QUESTIONS[:17])}
    ids = {q.id for q in select_questions(QUESTIONS, history, Random(1))}
    assert {"q17", "q18", "q19"} <= ids  # never seen
    assert ids - {"q17", "q18", "q19"} == {"q0", "q1"}  # seen longest ago


def test_recently_seen_come_last_when_everything_was_seen() -> None:
    history = {q.id: _seen(q.id, 100 - i, correct=True) for i, q in enumerate(QUESTIONS)}
    ids = {q.id for q in select_questions(QUESTIONS, history, Random(3))}
    assert ids == {"q15", "q16", "q17", "q18", "q19"}


def test_small_pool_and_role_filter() -> None:
    pool = [_q(1, ("front-office",)), _q(2, ("pimpinan", "front-office")), _q(3)]
    assert [q.id for q in questions_for(pool, "front-office")] == ["q1", "q2"]
    assert len(questions_for(pool, MIXED)) == 3
    assert len(select_questions(questions_for(pool, "front-office"), {}, Random(0))) == 2


def test_mastery_by_topic() -> None:
    mastery = mastery_by_topic([("a", True), ("a", False), ("b", True), ("a", True)])
    assert (mastery["a"].correct, mastery["a"].answered, mastery["a"].percent) == (2, 3, 67)
    assert mastery["b"].percent == 100
