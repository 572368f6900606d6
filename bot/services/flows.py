"""Flow state as plain data: which step of which flow a user is at (persisted, not in memory)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.repositories.flows import FlowRepository
from bot.services.clock import Clock

TEXT_WINDOW = timedelta(minutes=30)  # how long a flow on screen reads typed text as its answer


@dataclass(frozen=True, slots=True)
class Flow:
    """A snapshot of a user's flow; `revision` increases with every step."""

    name: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
    revision: int = 0
    updated_at: datetime | None = None

    def holds_text(self, now: datetime, window: timedelta = TEXT_WINDOW) -> bool:
        """Whether typed text still belongs to this flow rather than being a question.

        A flow left on screen (a /cek question, a quiz round) keeps its buttons, but after
        `window` without a step a typed message is far more likely a new question than an
        answer to the old screen; /cek and /kuis resume the flow either way.
        """
        return self.updated_at is None or now - self.updated_at <= window


class FlowService:
    """Start, advance and end flows; every change is committed at once."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def get(self, user_id: int) -> Flow | None:
        """The user's flow, if one is in progress."""
        async with self._sessions() as session:
            row = await FlowRepository(session).get(user_id)
            return (
                None
                if row is None
                else Flow(row.flow, row.step, dict(row.data), row.revision, row.updated_at)
            )

    async def put(
        self, user_id: int, name: str, step: str, data: dict[str, Any] | None = None
    ) -> Flow:
        """Start a flow or move it to `step` with `data`."""
        async with self._sessions.begin() as session:
            row = await FlowRepository(session).put(
                user_id, flow=name, step=step, data=data or {}, now=self._clock()
            )
            return Flow(row.flow, row.step, dict(row.data), row.revision, row.updated_at)

    async def clear(self, user_id: int) -> bool:
        """End the user's flow; True if one was in progress."""
        async with self._sessions.begin() as session:
            return await FlowRepository(session).clear(user_id)
