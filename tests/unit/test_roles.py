"""The role table: admins everywhere, coordinators on their own unit, members never."""

from __future__ import annotations

import pytest

from bot.domain.roles import RULES, allowed
from bot.domain.units import Member, Role


def _member(role: Role, unit_id: int | None = 1, active: bool = True) -> Member:
    return Member(
        user_id=1,
        telegram_id=1,
        display_name="x",
        role=role,
        unit_id=unit_id,
        language="id",
        timezone="Asia/Jakarta",
        active=active,
    )


@pytest.mark.parametrize("action", sorted(RULES))
def test_members_are_never_allowed_staff_actions(action: str) -> None:
    assert not allowed(_member(Role.MEMBER), action, 1)


@pytest.mark.parametrize("action", sorted(RULES))
def test_admins_are_allowed_everything_on_any_unit(action: str) -> None:
    assert allowed(_member(Role.ADMIN, unit_id=None), action, 99)
    assert not allowed(_member(Role.ADMIN, active=False), action, 99)


def test_coordinators_only_on_their_own_unit() -> None:
    coordinator = _member(Role.COORDINATOR, unit_id=5)
    assert allowed(coordinator, "recap.view", 5)
    assert not allowed(coordinator, "recap.view", 6)
    assert not allowed(coordinator, "recap.view", None)
    assert not allowed(coordinator, "broadcast.send", 5)
    assert not allowed(coordinator, "no.such.action", 5)
