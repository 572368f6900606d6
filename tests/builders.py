"""Test people, units and deadlines: members, coordinators and an admin in units."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.db.models import UserRow
from bot.domain.units import Member, Role
from bot.services.reminders import DeadlineDraft
from bot.services.users import OPERATOR

ADMIN = 900  # in BOT_ADMIN_IDS of the test settings
WITA = "Asia/Makassar"
WIB = "Asia/Jakarta"
# Friday 20 June 2025, 23:59 WITA.
DUE = datetime(2025, 6, 20, 15, 59, tzinfo=UTC)


async def unit_id(services: Any, code: str) -> int:
    """The database id of a unit by code."""
    units = await services.units.list_units()
    return int(next(u.id for u in units if u.code == code))


async def person(
    services: Any, telegram_id: int, unit: str | None, role: Role = Role.MEMBER, name: str = "Budi"
) -> Member:
    """Create (or refresh) a user registered to `unit` with `role`; return them as a Member."""
    arrival = await services.members.arrive(
        update_id=None,
        telegram_id=telegram_id,
        chat_id=telegram_id,
        display_name=name,
        language_code="id",
    )
    user_id = arrival.member.user_id
    if unit is not None:
        await services.units.register(user_id=user_id, unit_id=await unit_id(services, unit))
    if role is not Role.MEMBER and telegram_id != ADMIN:
        await services.users.set_role(OPERATOR, user_id, role)
    return await services.members.get(user_id)  # type: ignore[no-any-return]


async def member(
    services: Any,
    telegram_id: int,
    unit_code: str | None,
    *,
    tz: str = WITA,
    role: str | None = None,
) -> Member:
    """A user named U<telegram_id> in `unit_code`, time zone `tz`; `role` written to the row.

    Kept apart from `person` on purpose: routing it through `person` changed the outcome of
    tests/e2e/test_reminders.py::test_retry_after_and_blocked_through_the_fake.
    """
    arrival = await services.members.arrive(
        update_id=None,
        telegram_id=telegram_id,
        chat_id=telegram_id,
        display_name=f"U{telegram_id}",
        language_code="id",
    )
    user_id = arrival.member.user_id
    if unit_code is not None:
        units = {u.code: u for u in await services.units.list_units()}
        await services.units.register(user_id=user_id, unit_id=units[unit_code].id)
    await services.members.set_timezone(user_id, tz)
    if role is not None:
        async with services.sessions.begin() as session:
            (await session.get(UserRow, user_id)).role = role
    return await services.members.get(user_id)  # type: ignore[no-any-return]


async def new_deadline(
    services: Any,
    admin: Member,
    *,
    scope: dict[str, Any] | None = None,
    due: datetime = DUE,
    title: str = "Maklumat dipajang",
) -> int:
    """A deadline made by `admin` (default: every unit, due DUE, one topic); its id."""
    info = await services.reminders.create_deadline(
        admin,
        DeadlineDraft(
            title=title, due_at=due, scope=scope or {"all": True}, topics=("maklumat-pelayanan",)
        ),
    )
    return int(info.id)
