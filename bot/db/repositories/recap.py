"""Read-only counts for the readiness recap: quiz answers and active members per unit."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import QuizAnswerRow, QuizAttemptRow, UserRow


class RecapRepository:
    """Aggregates over several units at once (the caller limits `unit_ids` to what it may see)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def quiz_counts(self, unit_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """unit id -> (correct answers, answers) of quiz rounds taken for that unit."""
        wanted = set(unit_ids)
        rows = await self._session.execute(
            select(
                QuizAttemptRow.unit_id,
                func.sum(case((QuizAnswerRow.correct.is_(True), 1), else_=0)),
                func.count(QuizAnswerRow.id),
            )
            .join(QuizAttemptRow, QuizAttemptRow.id == QuizAnswerRow.attempt_id)
            .where(QuizAttemptRow.unit_id.in_(wanted))
            .group_by(QuizAttemptRow.unit_id)
        )
        return {int(unit): (int(correct or 0), int(total)) for unit, correct, total in rows}

    async def active_members(self, unit_ids: Iterable[int]) -> dict[int, int]:
        """unit id -> users registered to it who are active and have not blocked the bot."""
        wanted = set(unit_ids)
        rows = await self._session.execute(
            select(UserRow.unit_id, func.count(UserRow.id))
            .where(
                UserRow.unit_id.in_(wanted), UserRow.active.is_(True), UserRow.blocked.is_(False)
            )
            .group_by(UserRow.unit_id)
        )
        return {int(unit): int(count) for unit, count in rows if unit is not None}
