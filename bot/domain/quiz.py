"""Quiz questions for /kuis (domain layer): content types, question selection and mastery."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from random import Random

ROLES = ("pimpinan", "penanggung-jawab", "pengelola-pengaduan", "front-office")


@dataclass(frozen=True, slots=True)
class QuizQuestion:
    """One multiple-choice question with its answer key and explanation."""

    id: str
    question: str
    options: tuple[tuple[str, str], ...]  # (key, label) in display order
    answer: str
    explanation: str
    topic: str
    roles: tuple[str, ...]
    difficulty: int
    sources: tuple[str, ...]
    theme: str
    editions: tuple[str, ...] = ()  # assessment years it is about; () = not edition-specific

    def option(self, key: str) -> str | None:
        """The label of option `key`, if it exists."""
        return next((label for k, label in self.options if k == key), None)


def years_label(years: Sequence[str]) -> str:
    """Assessment years for display: consecutive years as a range ("2022–2024"), others listed.

    >>> years_label(["2023", "2021", "2022", "2025"])
    '2021–2023, 2025'
    """
    numbers = sorted({int(year) for year in years if year.isdigit()})
    runs: list[list[int]] = []
    for year in numbers:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


MIXED = "campur"  # a drill over every role's questions
DRILLS = (*ROLES, MIXED)
QUIZ_LENGTH = 5
MAX_MISSED_PER_QUIZ = 3  # leave room for new material even after a bad round


@dataclass(frozen=True, slots=True)
class QuestionHistory:
    """What a user did with one question so far.

    ``last_seen`` is an ordinal (a larger number is more recent, e.g. the answer row id);
    ``last_correct`` is the outcome of the latest answer.
    """

    question_id: str
    times_seen: int
    last_seen: int
    last_correct: bool


def questions_for(questions: Sequence[QuizQuestion], drill: str) -> list[QuizQuestion]:
    """The questions of a role drill ("campur" = all of them), in content order."""
    if drill == MIXED:
        return list(questions)
    return [question for question in questions if drill in question.roles]


def select_questions(
    questions: Sequence[QuizQuestion],
    history: Mapping[str, QuestionHistory],
    rng: Random,
    *,
    count: int = QUIZ_LENGTH,
) -> list[QuizQuestion]:
    """Draw `count` questions: missed ones come back sooner, recently seen ones later.

    Order of preference: questions whose latest answer was wrong (at most
    MAX_MISSED_PER_QUIZ of them, the least recently seen first), then questions never seen,
    then questions answered correctly, the least recently seen first. Ties are broken by the
    given ``rng`` so a seeded Random gives a reproducible draw. The drawn questions are then
    shuffled so the missed ones do not always open the quiz.

    No two drawn questions share a topic: a question whose topic is already in the round is
    passed over, so a pool with fewer topics than `count` gives a shorter round.
    """
    jitter = {question.id: rng.random() for question in questions}
    missed, unseen, known = [], [], []
    for question in questions:
        seen = history.get(question.id)
        if seen is None:
            unseen.append(question)
        elif not seen.last_correct:
            missed.append(question)
        else:
            known.append(question)

    def by_age(question: QuizQuestion) -> tuple[int, float]:
        return history[question.id].last_seen, jitter[question.id]

    missed.sort(key=by_age)
    known.sort(key=by_age)
    unseen.sort(key=lambda question: jitter[question.id])
    chosen: list[QuizQuestion] = []
    topics: set[str] = set()

    def take(pool: Sequence[QuizQuestion], limit: int) -> None:
        for question in pool:
            if len(chosen) >= limit:
                return
            if question.topic not in topics:
                chosen.append(question)
                topics.add(question.topic)

    take(missed, min(count, MAX_MISSED_PER_QUIZ))
    for pool in (unseen, missed, known):
        take(pool, count)
    rng.shuffle(chosen)
    return chosen


@dataclass(frozen=True, slots=True)
class Mastery:
    """How well a user knows one topic: correct answers over answers given."""

    topic: str
    correct: int
    answered: int

    @property
    def percent(self) -> int:
        """Whole percent correct (0 when nothing was answered)."""
        return round(100 * self.correct / self.answered) if self.answered else 0


def mastery_by_topic(outcomes: Sequence[tuple[str, bool]]) -> dict[str, Mastery]:
    """Sum (topic, correct) outcomes per topic."""
    totals: dict[str, tuple[int, int]] = {}
    for topic, correct in outcomes:
        right, answered = totals.get(topic, (0, 0))
        totals[topic] = (right + int(correct), answered + 1)
    return {topic: Mastery(topic, right, answered) for topic, (right, answered) in totals.items()}


@dataclass(frozen=True, slots=True)
class QuizStep:
    """A question on screen: `position` is 0-based among `total`."""

    attempt_id: int
    position: int
    total: int
    question: QuizQuestion


@dataclass(frozen=True, slots=True)
class QuizSummary:
    """The end of a round: score and the user's all-time mastery of the round's topics."""

    attempt_id: int
    correct: int
    total: int
    mastery: tuple[Mastery, ...]


@dataclass(frozen=True, slots=True)
class QuizFeedback:
    """The outcome of one answer; `summary` is set when it was the last question."""

    attempt_id: int
    position: int
    total: int
    question: QuizQuestion
    choice: str
    correct: bool
    summary: QuizSummary | None = None
