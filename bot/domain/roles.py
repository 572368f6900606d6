"""Who may do what (domain layer): one table of role-restricted actions, checked by services."""

from __future__ import annotations

import enum

from bot.domain.units import Member, Role


class Scope(enum.Enum):
    """How far an allowed role reaches."""

    ALL_UNITS = "all"  # any unit (admins)
    OWN_UNIT = "own"  # only the member's own unit


# action -> {role: scope}. Members get no entry: anything listed here is staff-only.
# Plain members act on their own unit through ordinary services without an entry here.
RULES: dict[str, dict[Role, Scope]] = {
    "selfcheck.for_unit": {Role.ADMIN: Scope.ALL_UNITS, Role.COORDINATOR: Scope.OWN_UNIT},
    "selfcheck.settle": {Role.ADMIN: Scope.ALL_UNITS, Role.COORDINATOR: Scope.OWN_UNIT},
    "membership.decide": {Role.ADMIN: Scope.ALL_UNITS, Role.COORDINATOR: Scope.OWN_UNIT},
    "deadline.create": {Role.ADMIN: Scope.ALL_UNITS, Role.COORDINATOR: Scope.OWN_UNIT},
    "deadline.edit": {Role.ADMIN: Scope.ALL_UNITS, Role.COORDINATOR: Scope.OWN_UNIT},
    "deadline.archive": {Role.ADMIN: Scope.ALL_UNITS, Role.COORDINATOR: Scope.OWN_UNIT},
    "deadline.ready": {Role.ADMIN: Scope.ALL_UNITS, Role.COORDINATOR: Scope.OWN_UNIT},
    "recap.view": {Role.ADMIN: Scope.ALL_UNITS, Role.COORDINATOR: Scope.OWN_UNIT},
    "evidence.fetch": {Role.ADMIN: Scope.ALL_UNITS, Role.COORDINATOR: Scope.OWN_UNIT},
    "evidence.delete": {Role.ADMIN: Scope.ALL_UNITS, Role.COORDINATOR: Scope.OWN_UNIT},
    "broadcast.send": {Role.ADMIN: Scope.ALL_UNITS},
    "users.list": {Role.ADMIN: Scope.ALL_UNITS},
    "users.promote": {Role.ADMIN: Scope.ALL_UNITS},
    "users.demote": {Role.ADMIN: Scope.ALL_UNITS},
    "users.deactivate": {Role.ADMIN: Scope.ALL_UNITS},
}


def admin_only(action: str) -> bool:
    """True if only admins may perform `action` (a refusal then says "khusus admin")."""
    rules = RULES.get(action)
    return rules is not None and set(rules) == {Role.ADMIN}


def allowed(member: Member, action: str, unit_id: int | None = None) -> bool:
    """True if `member` may perform `action` on `unit_id` (None = not tied to one unit).

    A coordinator's OWN_UNIT scope covers only their unit; an action not tied to a unit is
    allowed to a role whose scope is ALL_UNITS only.
    """
    scope = RULES.get(action, {}).get(member.role)
    if scope is None or not member.active:
        return False
    if scope is Scope.ALL_UNITS:
        return True
    return unit_id is not None and unit_id == member.unit_id
