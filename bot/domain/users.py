"""User administration: who is listed, whose role may change, forgotten users (domain layer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.units import Role


@dataclass(frozen=True, slots=True)
class UserSummary:
    """One line of the user administration list."""

    user_id: int
    telegram_id: int
    display_name: str
    role: Role
    unit_id: int | None
    unit_name: str | None
    active: bool
    last_seen_at: datetime | None
    settings_admin: bool  # listed in BOT_ADMIN_IDS: cannot be demoted or deactivated here
    forgotten: bool = False


def is_forgotten(telegram_id: int) -> bool:
    """Forgotten users keep their row (aggregates stay consistent) under a negative id."""
    return telegram_id < 0


def can_change_role(target: UserSummary, new_role: Role) -> bool:
    """Admins from settings are admins whatever the database says: never demote them."""
    return not (target.settings_admin and new_role is not Role.ADMIN)
