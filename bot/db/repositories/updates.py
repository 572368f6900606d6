"""Processed update ids: de-duplicates webhook retries, redeliveries and concurrent processes.

An update is handled at most once and, after a crash, at least once: `claim` records the id
as claimed by this process (`worker`) when the update arrives, and the id becomes processed
(`worker` NULL) *in the same transaction* as the first change its handler commits (a session
hook, `mark_in_transaction`) - or, for a handler that changes nothing, right after it ran.
So a crash before the handler's commit leaves only a claim by a dead process, which a
redelivery of the update takes over and handles; a crash after it leaves the update processed
together with its effects, and a redelivery is dropped. (One transaction for the claim and
every effect is not possible: a handler commits in the services it calls, sometimes several
times; a later commit of the same update is then not covered - it is rare, and the reply that
follows the first change says what happened.)
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from bot.db.models import ProcessedUpdateRow
from bot.domain.errors import RepeatedUpdate


class Claim(StrEnum):
    """What claiming an update id found."""

    NEW = "new"  # first time: handle it
    RECLAIMED = "reclaimed"  # a dead process had claimed it and committed nothing: handle it
    REPEATED = "repeated"  # processed already, or being handled by a live process: drop it


@dataclass(slots=True)
class UpdateInProgress:
    """The update the current task handles (set for the duration of one update)."""

    update_id: int | None = None
    worker: str = ""
    processed: bool = False


#: The update being handled in this task, if any (handlers run inside its context).
CURRENT_UPDATE: contextvars.ContextVar[UpdateInProgress | None] = contextvars.ContextVar(
    "current_update", default=None
)


def _processed(update_id: int, worker: str) -> Any:
    return (
        update(ProcessedUpdateRow)
        .where(ProcessedUpdateRow.update_id == update_id, ProcessedUpdateRow.worker == worker)
        .values(worker=None)
    )


class UpdateRepository:
    """Claims update ids; the primary key makes the claim atomic on every database."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(
        self,
        update_id: int,
        now: datetime,
        *,
        worker: str | None = None,
        take_over_before: datetime | None = None,
        take_over_any: bool = False,
    ) -> Claim:
        """Record `update_id` as claimed by `worker` (None: processed at once).

        One INSERT ... ON CONFLICT DO NOTHING (no savepoint round trips: this runs for every
        update). On PostgreSQL a concurrent claim of the same id by another process waits for
        that transaction and then inserts nothing. An existing claim of another worker with
        nothing committed is taken over if it was made before `take_over_before`, or whenever
        made with `take_over_any` (its process is taken for dead).
        """
        if await self._insert(update_id, now, worker):
            return Claim.NEW
        if worker is None or (take_over_before is None and not take_over_any):
            return Claim.REPEATED
        age = [] if take_over_any else [ProcessedUpdateRow.received_at < take_over_before]
        taken = await self._session.execute(
            update(ProcessedUpdateRow)
            .where(
                ProcessedUpdateRow.update_id == update_id,
                ProcessedUpdateRow.worker.is_not(None),
                ProcessedUpdateRow.worker != worker,
                *age,
            )
            .values(worker=worker, received_at=now)
        )
        return Claim.RECLAIMED if taken.rowcount == 1 else Claim.REPEATED  # type: ignore[attr-defined]

    async def _insert(self, update_id: int, now: datetime, worker: str | None) -> bool:
        dialect = self._session.get_bind().dialect.name
        values = {"update_id": update_id, "received_at": now, "worker": worker}
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
                self._session.add(ProcessedUpdateRow(**values))
                await self._session.flush()
        except IntegrityError:
            return False
        return True

    async def mark_processed(self, update_id: int, worker: str) -> None:
        """The handler ran and committed nothing: the claim becomes "processed"."""
        await self._session.execute(_processed(update_id, worker))

    async def worker_of(self, update_id: int) -> str | None:
        """Who holds the claim (None: processed or unknown)."""
        return await self._session.scalar(
            select(ProcessedUpdateRow.worker).where(ProcessedUpdateRow.update_id == update_id)
        )

    async def prune(self, before: datetime) -> int:
        """Forget ids older than `before` (Telegram never redelivers after 24 h)."""
        result = await self._session.execute(
            delete(ProcessedUpdateRow).where(ProcessedUpdateRow.received_at < before)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


# --- the session hook: the first committed change of an update also marks it processed -------

_WROTE = "update_wrote"
_MARKING = "update_marking"


def _note_write(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def _note_flush(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


def _mark_in_transaction(session: Session) -> None:
    current = CURRENT_UPDATE.get()
    if (
        current is None
        or current.update_id is None
        or current.processed
        or not session.info.get(_WROTE)
    ):
        return
    result = session.execute(_processed(current.update_id, current.worker))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        # Another process took the update over (we were taken for dead): its effects win.
        raise RepeatedUpdate(current.update_id)
    session.info[_MARKING] = current


def _committed(session: Session) -> None:
    marking = session.info.pop(_MARKING, None)
    if marking is not None:
        marking.processed = True
    session.info.pop(_WROTE, None)


def _rolled_back(session: Session) -> None:
    session.info.pop(_MARKING, None)
    session.info.pop(_WROTE, None)


def install_update_hooks(session_class: type[Session]) -> None:
    """Make `session_class`'s commits mark the current update processed with its first change."""
    from sqlalchemy import event

    event.listen(session_class, "do_orm_execute", _note_write)
    event.listen(session_class, "after_flush", _note_flush)
    event.listen(session_class, "before_commit", _mark_in_transaction)
    event.listen(session_class, "after_commit", _committed)
    event.listen(session_class, "after_rollback", _rolled_back)
