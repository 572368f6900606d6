"""Test people, units and deadlines: members, coordinators and an admin in units."""

from __future__ import annotations

from typing import Any

from bot.domain.units import Member, Role
from bot.services.users import OPERATOR

ADMIN = 900  # in BOT_ADMIN_IDS of the test settings


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
