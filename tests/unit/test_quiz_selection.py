"""Quiz selection: missed questions come back sooner, recently seen later; seeded and pure."""

from __future__ import annotations

from dataclasses import replace
from random import Random

from bot.domain.quiz import (
    MAX_MISSED_PER_QUIZ,
    MIXED,
    QuestionHistory,
    QuizQuestion,
    QuizStep,
    mastery_by_topic,
    questions_for,
    select_questions,
    years_label,
)
from bot.handlers.selfcheck_render import quiz_question
from bot.i18n import load_catalogs


def _q(n: int, roles: tuple[str, ...] = ("pimpinan",)) -> QuizQuestion:
    return QuizQuestion(
        id=f"q{n}",
        question=f"Soal {n}?",
        options=(("a", "x"), ("b", "y")),
        answer="a",
        explanation="karena",
        topic=f"t{n}",
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


def _topical(n: int, topic: str) -> QuizQuestion:
    return replace(_q(n), topic=topic)


def test_no_two_questions_on_one_topic_over_many_seeds() -> None:
    # 30 questions on 8 topics, unevenly spread (topic "a" has 12 questions).
    pool = [_topical(n, "a" if n < 12 else f"t{n % 7}") for n in range(30)]
    for seed in range(300):
        rng = Random(seed)
        history = {
            q.id: _seen(q.id, rng.randrange(100), correct=rng.random() < 0.5)
            for q in pool
            if rng.random() < 0.6
        }
        drawn = select_questions(pool, history, Random(seed))
        topics = [q.topic for q in drawn]
        assert len(drawn) == 5, (seed, topics)
        assert len(set(topics)) == len(topics), (seed, topics)


def test_missed_questions_on_one_topic_come_back_one_at_a_time() -> None:
    pool = [_topical(n, "pungli" if n < 4 else f"t{n}") for n in range(10)]
    history = {f"q{n}": _seen(f"q{n}", n, correct=False) for n in range(4)}
    drawn = select_questions(pool, history, Random(0))
    assert [q.id for q in drawn if q.topic == "pungli"] == ["q0"]
    assert len(drawn) == 5


def test_pool_with_fewer_topics_than_a_round_gives_a_shorter_round() -> None:
    pool = [_topical(n, f"t{n % 3}") for n in range(9)]
    drawn = select_questions(pool, {}, Random(5))
    assert sorted(q.topic for q in drawn) == ["t0", "t1", "t2"]


def test_years_label_ranges_and_lists() -> None:
    assert years_label(["2023"]) == "2023"
    assert years_label(["2024", "2022", "2023"]) == "2022–2024"
    assert years_label(["2021", "2023", "2024", "2025"]) == "2021, 2023–2025"
    assert years_label([]) == ""


def test_question_screen_shows_the_years_of_a_dated_question() -> None:
    translator = load_catalogs().for_locale("id")
    dated = replace(_q(1), editions=("2022", "2023", "2024"))
    heading = quiz_question(translator, QuizStep(1, 0, 5, dated)).split("\n")[0]
    assert heading == "<b>Kuis 1/5</b> · <i>penilaian 2022–2024</i>"
    undated = quiz_question(translator, QuizStep(1, 0, 5, _q(1))).split("\n")[0]
    assert undated == "<b>Kuis 1/5</b>"
