"""Find the reminder a message answers, and the deadlines it carried (no commits here)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import OutboxRow, ReminderDeliveryRow


class ReminderReplyRepository:
    """Lookups for files sent in reply to a reminder message."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def sent_message(self, chat_id: int, message_id: int) -> OutboxRow | None:
        """The outbox row sent as Telegram message `message_id` in `chat_id` (newest if twice)."""
        return await self._session.scalar(
            select(OutboxRow)
            .where(OutboxRow.chat_id == chat_id, OutboxRow.telegram_message_id == message_id)
            .order_by(OutboxRow.id.desc())
            .limit(1)
        )

    async def reminded_deadlines(self, outbox_id: int) -> list[int]:
        """Deadline ids of the reminders (not escalations) merged into one outbox row, in order."""
        rows = await self._session.scalars(
            select(ReminderDeliveryRow.deadline_id)
            .where(
                ReminderDeliveryRow.outbox_id == outbox_id,
                ReminderDeliveryRow.kind == "reminder",
            )
            .order_by(ReminderDeliveryRow.id)
        )
        return list(dict.fromkeys(rows.all()))
