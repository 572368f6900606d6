"""Steps the end-to-end tests share: register through /start, run a self-check to the end,
make and sweep a deadline and read the reminders a chat got."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.handlers import callback_data as cd
from bot.handlers.selfcheck import Answer
from bot.jobs.reminders import Dispatcher
from bot.services.reminders import DeadlineDraft
from tests.builders import ADMIN, DUE, WIB, member
from tests.e2e.harness import Harness


async def register(harness: Harness, user: int, unit: str = "Dinas Kesehatan") -> None:
    await harness.send(user, "/start")
    await harness.press_label(user, unit)
    await harness.press_label(user, "Ya, benar")


def answer_buttons(harness: Harness, user: int) -> list[Answer]:
    payloads = [cd.decode(data) for _, data in harness.buttons(user)]
    return [p for p in payloads if isinstance(p, Answer)]


def current_position(harness: Harness, user: int) -> int:
    text = harness.last_text(user)
    marker = text.split("Pertanyaan ", 1)[1]
    return int(marker.split("/", 1)[0])


async def run_to_end(
    harness: Harness,
    user: int,
    choose: Callable[[int, list[Answer]], Answer],
) -> str:
    """Answer every question with `choose(position, options)`; return the result card."""
    for _ in range(200):
        cards = [t for t in harness.texts(user)[-2:] if "Hasil cek mandiri" in t]
        if cards:
            return cards[-1]
        options = answer_buttons(harness, user)
        chosen = choose(current_position(harness, user), options)
        await harness.press(user, cd.encode(chosen))
    raise AssertionError("the self-check did not end")


def best(_: int, options: list[Answer]) -> Answer:
    return max(options, key=lambda o: o.value)


def worst(_: int, options: list[Answer]) -> Answer:
    return min(options, key=lambda o: o.value)


async def sweep(services: Any, sender: Dispatcher) -> int:
    await services.reminders.tick()
    return await sender.drain()


async def deadline(services: Any, *, scope: dict[str, Any] | None = None) -> int:
    admin = await member(services, ADMIN, None, tz=WIB)
    info = await services.reminders.create_deadline(
        admin,
        DeadlineDraft(
            title="Maklumat <dipajang>",
            due_at=DUE,
            scope=scope or {"all": True},
            topics=("maklumat-pelayanan",),
        ),
    )
    return int(info.id)


def reminders_to(harness: Harness, chat: int) -> list[str]:
    return [t for t in harness.texts(chat) if "Pengingat bukti dukung" in t]
