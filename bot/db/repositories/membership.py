"""Join requests, who may decide them, and the coordinators' score reviews (db layer)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    JoinRequestRow,
    ScoreReviewRow,
    SelfCheckAnswerRow,
    SelfCheckSessionRow,
    UserRow,
)


class MembershipRepository:
    """Data access for join requests and score reviews."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_request(
        self, *, user_id: int, unit_id: int, from_unit_id: int | None, now: datetime
    ) -> JoinRequestRow:
        """Open a pending request."""
        row = JoinRequestRow(
            user_id=user_id,
            unit_id=unit_id,
            from_unit_id=from_unit_id,
            status="pending",
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row

    async def get_request(self, request_id: int) -> JoinRequestRow | None:
        """One request by id."""
        return await self._session.get(JoinRequestRow, request_id)

    async def pending_for_user(self, user_id: int) -> Sequence[JoinRequestRow]:
        """The user's open requests (at most one by the rules)."""
        return (
            await self._session.scalars(
                select(JoinRequestRow).where(
                    JoinRequestRow.user_id == user_id, JoinRequestRow.status == "pending"
                )
            )
        ).all()

    async def decide(self, request_id: int, *, status: str, by: int | None, now: datetime) -> bool:
        """Move a pending request to `status`; False if it was decided already (double press)."""
        result = await self._session.execute(
            update(JoinRequestRow)
            .where(JoinRequestRow.id == request_id, JoinRequestRow.status == "pending")
            .values(status=status, decided_by=by, decided_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def coordinators(self, unit_id: int) -> Sequence[UserRow]:
        """Active coordinators of a unit."""
        return (
            await self._session.scalars(
                select(UserRow)
                .where(
                    UserRow.unit_id == unit_id,
                    UserRow.role == "coordinator",
                    UserRow.active.is_(True),
                )
                .order_by(UserRow.id)
            )
        ).all()

    async def admins(self, admin_ids: frozenset[int]) -> Sequence[UserRow]:
        """Active admins: promoted in the database or listed in BOT_ADMIN_IDS (if known)."""
        return (
            await self._session.scalars(
                select(UserRow)
                .where(
                    (UserRow.role == "admin") | UserRow.telegram_id.in_(admin_ids),
                    UserRow.active.is_(True),
                )
                .order_by(UserRow.id)
            )
        ).all()

    async def count_in(self, user_id: int, unit_id: int) -> int:
        """Make the user's uncounted answers for `unit_id` count; return how many.

        Their finished personal self-checks of the unit become ordinary finished ones.
        """
        await self._session.execute(
            update(SelfCheckSessionRow)
            .where(
                SelfCheckSessionRow.user_id == user_id,
                SelfCheckSessionRow.unit_id == unit_id,
                SelfCheckSessionRow.status == "personal",
            )
            .values(status="done")
            .execution_options(synchronize_session=False)
        )
        result = await self._session.execute(
            update(SelfCheckAnswerRow)
            .where(
                SelfCheckAnswerRow.user_id == user_id,
                SelfCheckAnswerRow.unit_id == unit_id,
                SelfCheckAnswerRow.counted.is_(False),
            )
            .values(counted=True)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def review(self, user_id: int, unit_id: int, edition: str) -> ScoreReviewRow | None:
        """Where the coordinator's last look at the unit's answers stopped."""
        return await self._session.get(ScoreReviewRow, (user_id, unit_id, edition))

    async def mark_reviewed(
        self, user_id: int, unit_id: int, edition: str, *, answer_id: int, now: datetime
    ) -> None:
        """Remember the newest answer the coordinator has now seen."""
        row = await self.review(user_id, unit_id, edition)
        if row is None:
            self._session.add(
                ScoreReviewRow(
                    user_id=user_id,
                    unit_id=unit_id,
                    edition=edition,
                    seen_answer_id=answer_id,
                    seen_at=now,
                )
            )
        else:
            row.seen_answer_id = max(row.seen_answer_id, answer_id)
            row.seen_at = now
        await self._session.flush()
