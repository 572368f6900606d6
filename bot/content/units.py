"""Load and validate content/units.yaml: governments and the service units users belong to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from bot.config import resolve_zone_name
from bot.content.source import ContentInvalid, locate, pydantic_problems, read_yaml
from bot.domain.errors import Problem

CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _zone(value: str | None) -> str | None:
    return None if value is None else resolve_zone_name(value)


class GovernmentEntry(_Strict):
    """One government in units.yaml."""

    code: str
    name: str
    timezone: str

    _tz = field_validator("timezone")(classmethod(lambda cls, v: _zone(v)))


class UnitEntry(_Strict):
    """One service unit in units.yaml."""

    code: str
    name: str
    type: str
    government: str
    timezone: str | None = None

    _tz = field_validator("timezone")(classmethod(lambda cls, v: _zone(v)))

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()


class UnitsFile(_Strict):
    """The whole units.yaml document."""

    types: list[str]
    governments: list[GovernmentEntry]
    units: list[UnitEntry]


@dataclass(frozen=True, slots=True)
class UnitCatalog:
    """Validated units content: what the database is synced from at start-up."""

    types: tuple[str, ...]
    governments: tuple[GovernmentEntry, ...]
    units: tuple[UnitEntry, ...]

    def zone_of(self, unit: UnitEntry) -> str:
        """The unit's own zone, else its government's."""
        if unit.timezone:
            return unit.timezone
        return next(g.timezone for g in self.governments if g.code == unit.government)


def check_units(doc: UnitsFile) -> list[Problem]:
    """Cross-field rules pydantic cannot see: codes, uniqueness, references."""
    problems: list[Problem] = []
    seen_gov: set[str] = set()
    for i, gov in enumerate(doc.governments):
        if not CODE.match(gov.code):
            problems.append(
                Problem(("governments", i, "code"), f"code {gov.code!r} must be a lowercase slug")
            )
        if gov.code in seen_gov:
            problems.append(
                Problem(("governments", i, "code"), f"duplicate government code {gov.code!r}")
            )
        seen_gov.add(gov.code)
    seen: set[str] = set()
    for i, unit in enumerate(doc.units):
        if not CODE.match(unit.code):
            problems.append(
                Problem(("units", i, "code"), f"code {unit.code!r} must be a lowercase slug")
            )
        if unit.code in seen:
            problems.append(Problem(("units", i, "code"), f"duplicate unit code {unit.code!r}"))
        seen.add(unit.code)
        if unit.type not in doc.types:
            problems.append(
                Problem(
                    ("units", i, "type"),
                    f"unknown type {unit.type!r}; known: {', '.join(doc.types)}",
                )
            )
        if unit.government not in seen_gov:
            problems.append(
                Problem(("units", i, "government"), f"unknown government {unit.government!r}")
            )
    if not doc.units:
        problems.append(Problem(("units",), "at least one unit is required"))
    return problems


def load_units(file: Path) -> UnitCatalog:
    """Read units.yaml; raise ContentInvalid listing every problem as file:line: reason."""
    data: Any = read_yaml(file)
    try:
        doc = UnitsFile.model_validate(data)
    except ValidationError as exc:
        raise ContentInvalid(locate(file, data, pydantic_problems(exc))) from None
    problems = check_units(doc)
    if problems:
        raise ContentInvalid(locate(file, data, problems))
    return UnitCatalog(tuple(doc.types), tuple(doc.governments), tuple(doc.units))
