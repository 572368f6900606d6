"""Processed update ids: de-duplicates webhook retries and concurrent processes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ProcessedUpdateRow


class UpdateRepository:
    """Claims update ids; the primary key makes the claim atomic on every database."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, update_id: int, now: datetime) -> bool:
        """Record `update_id`; return False if it was already processed.

        One INSERT ... ON CONFLICT DO NOTHING (no savepoint round trips: this runs for every
        update). On PostgreSQL a concurrent claim of the same id by another process waits for
        that transaction and then inserts nothing.
        """
        dialect = self._session.get_bind().dialect.name
        values = {"update_id": update_id, "received_at": now}
        key = [ProcessedUpdateRow.update_id]
        if dialect in ("postgresql", "sqlite"):
            statement = (
                postgresql_insert(ProcessedUpdateRow)
                .values(values)
                .on_conflict_do_nothing(index_elements=key)
                if dialect == "postgresql"
                else sqlite_insert(ProcessedUpdateRow)
                .values(values)
                .on_conflict_do_nothing(index_elements=key)
            )
            result = await self._session.execute(statement)
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]
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
            delete(ProcessedUpdateRow).where(ProcessedUpdateRow.received_at < before)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
