"""Quick quiz (/kuis): draw five questions, record every answer, keep mastery per topic.

Quiz answers live next to the self-check answers in the scoring store, in sibling tables
(quiz_attempts, quiz_answers) because they belong to a person, not to a unit. Mastery by topic
is the sum of a user's quiz_answers rows; the draw reads the same rows (missed questions come
back sooner, recently seen ones later; see bot.domain.quiz.select_questions).
"""

from __future__ import annotations

from random import Random

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.bundle import ContentBundle
from bot.db.models import QuizAttemptRow
from bot.db.repositories.quizzes import QuizRepository
from bot.domain.errors import InvalidAnswer, InvalidInput, StaleAction
from bot.domain.quiz import (
    DRILLS,
    QuestionHistory,
    QuizFeedback,
    QuizQuestion,
    QuizStep,
    QuizSummary,
    mastery_by_topic,
    questions_for,
    select_questions,
)
from bot.domain.units import Member
from bot.services.clock import Clock


class QuizService:
    """Use cases of the quick quiz."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        content: ContentBundle,
        *,
        seed: str = "",
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._content = content
        self._seed = seed
        self._by_id = {question.id: question for question in content.quizzes}

    async def start(self, member: Member, *, drill: str) -> QuizStep:
        """Start a round of the role drill (replacing any unfinished round).

        The draw is seeded by the user and their attempt count, so it is reproducible.

        Raises:
            InvalidInput: unknown drill, or a drill without questions.
        """
        if drill not in DRILLS:
            raise InvalidInput("drill", "unknown")
        pool = questions_for(self._content.quizzes, drill)
        if not pool:
            raise InvalidInput("drill", "empty")
        now = self._clock()
        async with self._sessions.begin() as session:
            repo = QuizRepository(session)
            history: dict[str, QuestionHistory] = {}
            for given in await repo.answers_for_user(member.user_id):
                seen = history.get(given.question_id)
                history[given.question_id] = QuestionHistory(
                    given.question_id,
                    (seen.times_seen if seen else 0) + 1,
                    given.id,
                    given.correct,
                )
            count = await repo.count_for_user(member.user_id)
            rng = Random(f"{self._seed}:{member.user_id}:{count}")
            chosen = select_questions(pool, history, rng)
            await repo.abandon_open(member.user_id, now)
            attempt = await repo.add(
                user_id=member.user_id,
                unit_id=member.unit_id,
                drill=drill,
                question_ids=[q.id for q in chosen],
                content_version=self._content.version,
                now=now,
            )
            return QuizStep(attempt.id, 0, len(chosen), chosen[0])

    async def answer(
        self, member: Member, *, attempt_id: int, position: int, choice: str
    ) -> QuizFeedback:
        """Record the answer to the question on screen; the last one closes the round.

        Raises:
            StaleAction: old, doubled, forged or someone else's button.
        """
        now = self._clock()
        async with self._sessions.begin() as session:
            repo = QuizRepository(session)
            row = await self._row(repo, member, attempt_id, position, answered=False)
            question = self._by_id.get(row.question_ids[position])
            if question is None:
                raise StaleAction()
            if question.option(choice) is None:
                raise InvalidAnswer(question.id, choice)
            correct = choice == question.answer
            last = position == len(row.question_ids) - 1
            values: dict[str, object] = {"answered": True, "correct": row.correct + int(correct)}
            if last:
                values.update(status="done", finished_at=now)
            if not await repo.claim(
                attempt_id,
                user_id=member.user_id,
                position=position,
                answered=False,
                values=values,
            ):
                raise StaleAction()
            await repo.add_answer(
                attempt_id=attempt_id,
                user_id=member.user_id,
                question_id=question.id,
                topic=question.topic,
                choice=choice,
                correct=correct,
                now=now,
            )
            summary = None
            if last:
                summary = await self._summary(repo, member, row)
            return QuizFeedback(
                attempt_id, position, len(row.question_ids), question, choice, correct, summary
            )

    async def next_question(self, member: Member, *, attempt_id: int, position: int) -> QuizStep:
        """ "Lanjut": show the question after `position` (only once it was answered)."""
        async with self._sessions.begin() as session:
            repo = QuizRepository(session)
            row = await self._row(repo, member, attempt_id, position, answered=True)
            following = position + 1
            if following >= len(row.question_ids):
                raise StaleAction()
            question = self._by_id.get(row.question_ids[following])
            if question is None:
                raise StaleAction()
            if not await repo.claim(
                attempt_id,
                user_id=member.user_id,
                position=position,
                answered=True,
                values={"position": following, "answered": False},
            ):
                raise StaleAction()
            return QuizStep(attempt_id, following, len(row.question_ids), question)

    async def abandon(self, member: Member) -> None:
        """/batal: close the member's unfinished round (its answers stay counted)."""
        async with self._sessions.begin() as session:
            await QuizRepository(session).abandon_open(member.user_id, self._clock())

    async def _row(
        self,
        repo: QuizRepository,
        member: Member,
        attempt_id: int,
        position: int,
        *,
        answered: bool,
    ) -> QuizAttemptRow:
        row = await repo.get(attempt_id, user_id=member.user_id)
        if (
            row is None
            or row.status != "open"
            or row.position != position
            or row.answered != answered
            or not 0 <= position < len(row.question_ids)
        ):
            raise StaleAction()
        return row

    async def _summary(
        self, repo: QuizRepository, member: Member, row: QuizAttemptRow
    ) -> QuizSummary:
        answers = await repo.answers_for_user(member.user_id)
        mine = [a for a in answers if a.attempt_id == row.id]
        mastery = mastery_by_topic([(a.topic, a.correct) for a in answers])
        topics = list(dict.fromkeys(a.topic for a in mine))
        return QuizSummary(
            row.id,
            sum(1 for a in mine if a.correct),
            len(row.question_ids),
            tuple(mastery[t] for t in topics),
        )

    def question(self, question_id: str) -> QuizQuestion | None:
        """A question by id (for rendering)."""
        return self._by_id.get(question_id)
