"""Processed update ids: de-duplicates webhook retries and concurrent processes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ProcessedUpdateRow


class UpdateRepository:
    """Claims update ids; the primary key makes the claim atomic on every database."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, update_id: int, now: datetime) -> bool:
        """Record `update_id`; return False if it was already processed."""
        try:
            async with self._session.begin_nested():
                self._session.add(ProcessedUpdateRow(update_id=update_id, received_at=now))
                await self._session.flush()
        except IntegrityError:
            return False
        return True

    async def prune(self, before: datetime) -> int:
        """Forget ids older than `before` (Telegram never redelivers after 24 h)."""
        result = await self._session.execute(
            delete(ProcessedUpdateRow).where(ProcessedUpdateRow.received_at < before))
        return int(result.rowcount)  # type: ignore[attr-defined]
