"""A recording notifier for ReminderService tests, and one sweep-and-deliver step."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.services.reminders import OutgoingMessage, SendResult, SendStatus


class RecordingNotifier:
    """Records every message; `fail_next` makes the next sends end with a given status."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMessage] = []
        self.faults: list[SendResult] = []
        self._ids = 0

    def fail_next(self, result: SendResult, times: int = 1) -> None:
        self.faults.extend([result] * times)

    async def send(self, message: OutgoingMessage) -> SendResult:
        if self.faults:
            return self.faults.pop(0)
        self.sent.append(message)
        self._ids += 1
        return SendResult(SendStatus.SENT, message_id=self._ids)

    def keys(self) -> Counter[tuple[int, int, int]]:
        return Counter(
            (m.user_id, r.deadline_id, r.offset) for m in self.sent for r in m.reminders
        )

    def to(self, user_id: int) -> list[OutgoingMessage]:
        return [m for m in self.sent if m.user_id == user_id]


async def run(services: Any, notifier: RecordingNotifier) -> int:
    await services.reminders.tick()
    return int(await services.reminders.deliver(notifier))
