"""Users: lookup by Telegram id, registration, preferences."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import FlowStateRow, UserRow


class UserRepository:
    """Data access for users."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_telegram_id(self, telegram_id: int) -> UserRow | None:
        """The user with this Telegram id, if known."""
        return await self._session.scalar(
            select(UserRow).where(UserRow.telegram_id == telegram_id)
        )

    async def by_telegram_id_with_flow(
        self, telegram_id: int
    ) -> tuple[UserRow, FlowStateRow | None] | None:
        """The user with this Telegram id and their flow state, in one query."""
        row = (
            await self._session.execute(
                select(UserRow, FlowStateRow)
                .outerjoin(FlowStateRow, FlowStateRow.user_id == UserRow.id)
                .where(UserRow.telegram_id == telegram_id)
            )
        ).first()
        return None if row is None else (row[0], row[1])

    async def get(self, user_id: int) -> UserRow | None:
        """The user with this internal id."""
        return await self._session.get(UserRow, user_id)

    async def add(
        self,
        *,
        telegram_id: int,
        chat_id: int | None,
        display_name: str,
        language: str | None,
        now: datetime,
    ) -> UserRow:
        """Create a user (role member, no unit yet)."""
        row = UserRow(
            telegram_id=telegram_id,
            chat_id=chat_id,
            display_name=display_name,
            language=language,
            role="member",
            created_at=now,
            updated_at=now,
            last_seen_at=now,
            reminder_hour=8,
            quiet_weekends=False,
            muted=False,
            active=True,
            blocked=False,
        )
        self._session.add(row)
        await self._session.flush()
        return row

    async def list_for_unit(self, unit_id: int) -> Sequence[UserRow]:
        """Members of one unit."""
        return (
            await self._session.scalars(
                select(UserRow).where(UserRow.unit_id == unit_id).order_by(UserRow.id)
            )
        ).all()

    async def list_all(self) -> Sequence[UserRow]:
        """Every user, by unit (no unit first) then id; for the admin list and CLI."""
        return (
            await self._session.scalars(
                select(UserRow).order_by(UserRow.unit_id.is_not(None), UserRow.unit_id, UserRow.id)
            )
        ).all()
