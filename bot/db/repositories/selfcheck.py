"""Self-check sessions and their append-only answer history (every query is scoped to a unit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SelfCheckAnswerRow, SelfCheckSessionRow, UserRow


class SelfCheckRepository:
    """Data access for self-check sessions and answers."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def open_for_user(self, user_id: int) -> SelfCheckSessionRow | None:
        """The user's open session, if any (the newest if, against the rules, several)."""
        return await self._session.scalar(
            select(SelfCheckSessionRow)
            .where(SelfCheckSessionRow.user_id == user_id, SelfCheckSessionRow.status == "open")
            .order_by(SelfCheckSessionRow.id.desc())
            .limit(1)
        )

    async def get(self, session_id: int, *, user_id: int) -> SelfCheckSessionRow | None:
        """A session, only if it belongs to `user_id` (a forwarded button finds nothing)."""
        return await self._session.scalar(
            select(SelfCheckSessionRow).where(
                SelfCheckSessionRow.id == session_id, SelfCheckSessionRow.user_id == user_id
            )
        )

    async def add(
        self,
        *,
        user_id: int,
        unit_id: int,
        edition: str,
        content_version: str,
        cursor: str | None,
        now: datetime,
    ) -> SelfCheckSessionRow:
        """Open a new session."""
        row = SelfCheckSessionRow(
            user_id=user_id,
            unit_id=unit_id,
            edition=edition,
            content_version=content_version,
            status="open",
            step=1,
            cursor=cursor,
            started_at=now,
            updated_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row

    async def claim_step(
        self, session_id: int, *, unit_id: int, step: int, now: datetime, cursor: str | None
    ) -> bool:
        """Move an open session from `step` to `step + 1` atomically; False if it moved already.

        This compare-and-set makes a double press (even from two processes) count once.
        """
        result = await self._session.execute(
            update(SelfCheckSessionRow)
            .where(
                SelfCheckSessionRow.id == session_id,
                SelfCheckSessionRow.unit_id == unit_id,
                SelfCheckSessionRow.step == step,
                SelfCheckSessionRow.status == "open",
            )
            .values(step=step + 1, updated_at=now, cursor=cursor)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def add_answer(
        self,
        row: SelfCheckSessionRow,
        *,
        indicator_id: str,
        value: int | None,
        content_version: str,
        now: datetime,
        counted: bool = True,
    ) -> None:
        """Append one answer (None = skipped) to the history; `counted` False = personal."""
        self._session.add(
            SelfCheckAnswerRow(
                counted=counted,
                session_id=row.id,
                unit_id=row.unit_id,
                user_id=row.user_id,
                edition=row.edition,
                indicator_id=indicator_id,
                value=value,
                content_version=content_version,
                answered_at=now,
            )
        )
        await self._session.flush()

    async def counts(self, session_id: int) -> bool:
        """True unless some answer of the session does not count for its unit (personal)."""
        uncounted = await self._session.scalar(
            select(SelfCheckAnswerRow.id)
            .where(
                SelfCheckAnswerRow.session_id == session_id,
                SelfCheckAnswerRow.counted.is_(False),
            )
            .limit(1)
        )
        return uncounted is None

    async def answers(self, session_id: int, *, unit_id: int) -> Sequence[SelfCheckAnswerRow]:
        """One session's history in order."""
        return (
            await self._session.scalars(
                select(SelfCheckAnswerRow)
                .where(
                    SelfCheckAnswerRow.session_id == session_id,
                    SelfCheckAnswerRow.unit_id == unit_id,
                )
                .order_by(SelfCheckAnswerRow.id)
            )
        ).all()

    async def unit_answers(self, *, unit_id: int, edition: str) -> Sequence[SelfCheckAnswerRow]:
        """Every answer that counts for a unit in an edition, across its members' sessions.

        Answers of people the unit has not accepted (yet) are left out: see domain/membership.
        """
        return (
            await self._session.scalars(
                select(SelfCheckAnswerRow)
                .where(
                    SelfCheckAnswerRow.unit_id == unit_id,
                    SelfCheckAnswerRow.edition == edition,
                    SelfCheckAnswerRow.counted.is_(True),
                )
                .order_by(SelfCheckAnswerRow.id)
            )
        ).all()

    async def counted_values(
        self, *, unit_id: int, edition: str
    ) -> Sequence[tuple[SelfCheckAnswerRow, str]]:
        """The unit's counted, given (non-skip) answers with their authors' names, in order."""
        rows = await self._session.execute(
            select(SelfCheckAnswerRow, UserRow.display_name)
            .join(UserRow, UserRow.id == SelfCheckAnswerRow.user_id)
            .where(
                SelfCheckAnswerRow.unit_id == unit_id,
                SelfCheckAnswerRow.edition == edition,
                SelfCheckAnswerRow.counted.is_(True),
                SelfCheckAnswerRow.value.is_not(None),
            )
            .order_by(SelfCheckAnswerRow.id)
        )
        return [(row[0], row[1]) for row in rows.all()]

    async def latest_counted_value(
        self, *, unit_id: int, edition: str, indicator_id: str
    ) -> int | None:
        """The unit's current value of one indicator (latest counted given answer)."""
        return await self._session.scalar(
            select(SelfCheckAnswerRow.value)
            .where(
                SelfCheckAnswerRow.unit_id == unit_id,
                SelfCheckAnswerRow.edition == edition,
                SelfCheckAnswerRow.indicator_id == indicator_id,
                SelfCheckAnswerRow.counted.is_(True),
                SelfCheckAnswerRow.value.is_not(None),
            )
            .order_by(SelfCheckAnswerRow.answered_at.desc(), SelfCheckAnswerRow.id.desc())
            .limit(1)
        )

    async def settled(self, *, unit_id: int, edition: str) -> dict[str, int]:
        """Indicator -> id of the answer by which a coordinator last settled it."""
        rows = await self._session.execute(
            select(SelfCheckAnswerRow.indicator_id, func.max(SelfCheckAnswerRow.id))
            .join(SelfCheckSessionRow, SelfCheckSessionRow.id == SelfCheckAnswerRow.session_id)
            .where(
                SelfCheckAnswerRow.unit_id == unit_id,
                SelfCheckAnswerRow.edition == edition,
                SelfCheckSessionRow.status == "settled",
            )
            .group_by(SelfCheckAnswerRow.indicator_id)
        )
        return {str(row[0]): int(row[1]) for row in rows.all()}

    async def finished(self, *, unit_id: int, edition: str) -> Sequence[SelfCheckSessionRow]:
        """A unit's finished sessions of an edition, oldest first."""
        return (
            await self._session.scalars(
                select(SelfCheckSessionRow)
                .where(
                    SelfCheckSessionRow.unit_id == unit_id,
                    SelfCheckSessionRow.edition == edition,
                    SelfCheckSessionRow.status == "done",
                )
                .order_by(SelfCheckSessionRow.finished_at, SelfCheckSessionRow.id)
            )
        ).all()

    async def latest_personal(
        self, *, user_id: int, unit_id: int, edition: str | None
    ) -> SelfCheckSessionRow | None:
        """A person's latest finished personal session for a unit (of `edition`, or any)."""
        query = select(SelfCheckSessionRow).where(
            SelfCheckSessionRow.user_id == user_id,
            SelfCheckSessionRow.unit_id == unit_id,
            SelfCheckSessionRow.status == "personal",
        )
        if edition is not None:
            query = query.where(SelfCheckSessionRow.edition == edition)
        return await self._session.scalar(
            query.order_by(
                SelfCheckSessionRow.finished_at.desc(), SelfCheckSessionRow.id.desc()
            ).limit(1)
        )

    async def units_with_finished(self, edition: str) -> set[int]:
        """Ids of units that finished at least one self-check in the edition."""
        rows = await self._session.scalars(
            select(SelfCheckSessionRow.unit_id)
            .where(SelfCheckSessionRow.edition == edition, SelfCheckSessionRow.status == "done")
            .group_by(SelfCheckSessionRow.unit_id)
            .having(func.count() > 0)
        )
        return set(rows.all())
