"""Service units, governments, roles and members (domain layer)."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass


class Role(enum.StrEnum):
    """What a user may do; admins come from settings or promotion, coordinators lead one unit."""

    MEMBER = "member"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Government:
    """A government (pemerintah kota/kabupaten/provinsi) whose score is the mean of its units."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Unit:
    """A public-service unit a user can belong to."""

    id: int
    code: str
    name: str
    type: str
    government_code: str
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class Member:
    """The person behind an update, as services see them."""

    user_id: int
    telegram_id: int
    display_name: str
    role: Role
    unit_id: int | None
    language: str
    timezone: str
    active: bool = True
    # The unit this person asked to join and that has not decided yet (see domain/membership).
    pending_unit_id: int | None = None

    @property
    def registered(self) -> bool:
        """True once the member has picked a unit (admins may act without one)."""
        return self.unit_id is not None


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse spaces: the key used to match typed names."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def search_units(units: list[Unit], query: str) -> list[Unit]:
    """Return the units whose name, code or type contains every word of the query, best first.

    Units whose name starts with the query come first; ties keep the input order.
    """
    words = fold(query).split()
    if not words:
        return list(units)
    hits = []
    for position, unit in enumerate(units):
        haystack = fold(f"{unit.name} {unit.code} {unit.type}")
        if all(word in haystack for word in words):
            starts = fold(unit.name).startswith(words[0])
            hits.append((0 if starts else 1, position, unit))
    return [unit for _, _, unit in sorted(hits, key=lambda item: (item[0], item[1]))]


def page(items: list[Unit], number: int, size: int) -> tuple[list[Unit], int, int]:
    """Return (items on page `number`, clamped page number, page count) for a paged keyboard."""
    pages = max(1, (len(items) + size - 1) // size)
    number = min(max(number, 0), pages - 1)
    return items[number * size : (number + 1) * size], number, pages


def zone_on_joining(
    current: str | None, old_unit_zone: str | None, new_unit_zone: str | None
) -> str | None:
    """A member's time zone after joining a unit: the unit's, unless they chose another.

    A zone equal to their previous unit's was taken from that unit, not chosen, so it follows
    the move (a Bontang member moving to a Jakarta unit reads WIB from then on).
    """
    if new_unit_zone is None:
        return current
    if current is None or (old_unit_zone is not None and current == old_unit_zone):
        return new_unit_zone
    return current
