"""Quiz attempts and answers: the quiz half of the scoring store (per user)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import QuizAnswerRow, QuizAttemptRow


class QuizRepository:
    """Data access for quiz attempts and answers."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, attempt_id: int, *, user_id: int) -> QuizAttemptRow | None:
        """An attempt, only if it belongs to `user_id`."""
        return await self._session.scalar(
            select(QuizAttemptRow).where(
                QuizAttemptRow.id == attempt_id, QuizAttemptRow.user_id == user_id
            )
        )

    async def abandon_open(self, user_id: int, now: datetime) -> None:
        """Close any open attempt of the user (a new /kuis round replaces it)."""
        await self._session.execute(
            update(QuizAttemptRow)
            .where(QuizAttemptRow.user_id == user_id, QuizAttemptRow.status == "open")
            .values(status="abandoned", finished_at=now)
            .execution_options(synchronize_session=False)
        )

    async def count_for_user(self, user_id: int) -> int:
        """How many attempts the user ever started."""
        rows = await self._session.scalars(
            select(QuizAttemptRow.id).where(QuizAttemptRow.user_id == user_id)
        )
        return len(rows.all())

    async def add(
        self,
        *,
        user_id: int,
        unit_id: int | None,
        drill: str,
        question_ids: list[str],
        content_version: str,
        now: datetime,
    ) -> QuizAttemptRow:
        """Start an attempt."""
        row = QuizAttemptRow(
            user_id=user_id,
            unit_id=unit_id,
            drill=drill,
            question_ids=question_ids,
            position=0,
            answered=False,
            correct=0,
            status="open",
            content_version=content_version,
            started_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row

    async def claim(
        self,
        attempt_id: int,
        *,
        user_id: int,
        position: int,
        answered: bool,
        values: dict[str, object],
    ) -> bool:
        """Change an open attempt only if it is still at (`position`, `answered`)."""
        result = await self._session.execute(
            update(QuizAttemptRow)
            .where(
                QuizAttemptRow.id == attempt_id,
                QuizAttemptRow.user_id == user_id,
                QuizAttemptRow.status == "open",
                QuizAttemptRow.position == position,
                QuizAttemptRow.answered == answered,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def add_answer(
        self,
        *,
        attempt_id: int,
        user_id: int,
        question_id: str,
        topic: str,
        choice: str,
        correct: bool,
        now: datetime,
    ) -> None:
        """Record one answer."""
        self._session.add(
            QuizAnswerRow(
                attempt_id=attempt_id,
                user_id=user_id,
                question_id=question_id,
                topic=topic,
                choice=choice,
                correct=correct,
                answered_at=now,
            )
        )
        await self._session.flush()

    async def answers_for_user(self, user_id: int) -> Sequence[QuizAnswerRow]:
        """Every quiz answer of the user, oldest first."""
        return (
            await self._session.scalars(
                select(QuizAnswerRow)
                .where(QuizAnswerRow.user_id == user_id)
                .order_by(QuizAnswerRow.id)
            )
        ).all()

    async def answers_for_attempt(
        self, attempt_id: int, *, user_id: int
    ) -> Sequence[QuizAnswerRow]:
        """One attempt's answers in order."""
        return (
            await self._session.scalars(
                select(QuizAnswerRow)
                .where(QuizAnswerRow.attempt_id == attempt_id, QuizAnswerRow.user_id == user_id)
                .order_by(QuizAnswerRow.id)
            )
        ).all()
