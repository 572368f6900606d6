"""Domain: validate and convert the deadline timeline (content/tenggat.yaml, already parsed).

Pure: takes the dict that `yaml.safe_load` returned, never reads files. `validate_timeline`
collects every problem as a `(path, reason)` pair, e.g. ``(("deadlines", 3, "due"),
"naive_datetime")``, so the content loader can report file, entry and field at once;
`parse_timeline` turns valid data into frozen `TimelineEntry` objects.

Expected shape::

    example: true                # optional; true = sample dates, replace before production
    season: "2027"               # optional label of the assessment year
    updated: 2026-11-27          # optional, not checked
    deadlines:
      - id: maklumat-dipajang    # ASCII slug, unique
        title: ...               # Indonesian, required
        description: ...         # optional
        indicators: [slug, ...]  # optional methodology indicator ids
        topics: [topic-id, ...]  # optional Q&A topic ids
        due: "2026-05-29T23:59:00+08:00"   # explicit offset, or naive + zone
        zone: Asia/Makassar      # optional IANA name or WIB/WITA/WIT
        offsets: [14, 7, 3, 1, 0]          # optional, days before due
        units: all               # or {types: [puskesmas, ...]} or {codes: [DINKES, ...]}
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from bot.domain.dates import UnknownZoneError, resolve_zone
from bot.domain.deadlines import (
    ALL_UNITS,
    DEFAULT_OFFSETS,
    MAX_OFFSET_DAYS,
    Deadline,
    UnitScope,
)
from bot.domain.errors import DomainError, Problem
from bot.domain.units import Unit

__all__ = [
    "Path",
    "Timeline",
    "TimelineEntry",
    "TimelineError",
    "UnitSelector",
    "parse_timeline",
    "validate_timeline",
]

Path = tuple[str | int, ...]

SLUG: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOP_KEYS: Final = frozenset({"example", "season", "updated", "deadlines"})
_ENTRY_KEYS: Final = frozenset(
    {"id", "title", "description", "indicators", "topics", "due", "zone", "offsets", "units"}
)
_UNIT_KEYS: Final = frozenset({"types", "codes"})


class TimelineError(DomainError):
    """The timeline data is invalid; `problems` lists every `Problem(path, reason)` found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(f"{'.'.join(map(str, p.path))}: {p.reason}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in timeline: {shown}")


@dataclass(frozen=True, slots=True)
class UnitSelector:
    """Which units a timeline entry is for: all, by type, or by code (not both)."""

    types: frozenset[str] | None = None
    codes: frozenset[str] | None = None

    @property
    def is_all(self) -> bool:
        """Whether the entry applies to every unit."""
        return self.types is None and self.codes is None

    def resolve(self, units: Iterable[Unit]) -> UnitScope:
        """Return "all" or the ids of the matching units (codes compare case-insensitively)."""
        if self.is_all:
            return ALL_UNITS
        codes = {code.upper() for code in self.codes or ()}
        types = self.types or frozenset()
        return frozenset(u.id for u in units if u.type in types or u.code.upper() in codes)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One validated deadline of the timeline, due time normalised to UTC."""

    id: str
    title: str
    description: str
    due_at: datetime
    offsets: tuple[int, ...]
    units: UnitSelector
    indicators: tuple[str, ...]
    topics: tuple[str, ...]

    def to_deadline(
        self, units: Iterable[Unit], *, created_at: datetime | None = None
    ) -> Deadline:
        """Return the `Deadline` for reminders, resolving the unit selector against `units`."""
        return Deadline(
            id=self.id,
            title=self.title,
            due_at=self.due_at,
            offsets=self.offsets,
            unit_ids=self.units.resolve(units),
            created_at=created_at,
        )


@dataclass(frozen=True, slots=True)
class Timeline:
    """The whole file: entries sorted by due time, and whether it is still the example."""

    example: bool
    season: str
    entries: tuple[TimelineEntry, ...]


def validate_timeline(
    data: object,
    *,
    known_topics: Collection[str] | None = None,
    known_indicators: Collection[str] | None = None,
    known_unit_types: Collection[str] | None = None,
    known_unit_codes: Collection[str] | None = None,
) -> list[Problem]:
    """Return every problem in parsed timeline data; an empty list means it is valid.

    Reasons: missing, unknown_key, not_a_mapping, not_a_list, not_a_string, not_a_bool, empty,
    bad_slug, duplicate_id, not_a_datetime, naive_datetime, unknown_zone, zone_mismatch,
    not_an_integer, offset_out_of_range, duplicate_offset, bad_units, unknown_topic,
    unknown_indicator, unknown_unit_type, unknown_unit_code. The `known_*` collections are
    checked only when given.
    """
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        return [Problem((), "not_a_mapping")]
    problems += [Problem((str(key),), "unknown_key") for key in data if key not in _TOP_KEYS]
    if "example" in data and not isinstance(data["example"], bool):
        problems.append(Problem(("example",), "not_a_bool"))
    if "season" in data and not isinstance(data["season"], str):
        problems.append(Problem(("season",), "not_a_string"))
    entries = data.get("deadlines")
    if entries is None:
        return [*problems, Problem(("deadlines",), "missing")]
    if not isinstance(entries, list):
        return [*problems, Problem(("deadlines",), "not_a_list")]
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        path: Path = ("deadlines", index)
        if not isinstance(entry, Mapping):
            problems.append(Problem(path, "not_a_mapping"))
            continue
        known_units = (known_unit_types, known_unit_codes)
        problems += _entry_problems(path, entry, known_topics, known_indicators, known_units)
        entry_id = entry.get("id")
        if isinstance(entry_id, str):
            if entry_id in seen:
                problems.append(Problem((*path, "id"), "duplicate_id"))
            seen.add(entry_id)
    return problems


def parse_timeline(data: object, **known: Collection[str] | None) -> Timeline:
    """Validate and convert timeline data; keyword arguments are passed to `validate_timeline`.

    Raises:
        TimelineError: listing every problem when the data is invalid.
    """
    problems = validate_timeline(data, **known)
    if problems:
        raise TimelineError(problems)
    assert isinstance(data, Mapping)  # validated above
    entries = []
    for raw in data["deadlines"]:
        due_at = _due_at(raw["due"], raw.get("zone"))
        assert due_at is not None  # validated above
        units = raw.get("units", ALL_UNITS)
        entries.append(
            TimelineEntry(
                id=raw["id"],
                title=raw["title"].strip(),
                description=str(raw.get("description") or "").strip(),
                due_at=due_at,
                offsets=tuple(sorted(raw.get("offsets", DEFAULT_OFFSETS), reverse=True)),
                units=UnitSelector()
                if units == ALL_UNITS
                else UnitSelector(
                    types=frozenset(units["types"]) if "types" in units else None,
                    codes=frozenset(units["codes"]) if "codes" in units else None,
                ),
                indicators=tuple(raw.get("indicators", ())),
                topics=tuple(raw.get("topics", ())),
            )
        )
    return Timeline(
        example=bool(data.get("example", False)),
        season=str(data.get("season", "")),
        entries=tuple(sorted(entries, key=lambda e: (e.due_at, e.id))),
    )


def _entry_problems(
    path: Path,
    entry: Mapping[object, object],
    known_topics: Collection[str] | None,
    known_indicators: Collection[str] | None,
    known_units: tuple[Collection[str] | None, Collection[str] | None],
) -> list[Problem]:
    problems: list[Problem] = [
        Problem((*path, str(key)), "unknown_key") for key in entry if key not in _ENTRY_KEYS
    ]
    for key in ("id", "title", "due"):
        if key not in entry:
            problems.append(Problem((*path, key), "missing"))
    entry_id = entry.get("id")
    if "id" in entry and not isinstance(entry_id, str):
        problems.append(Problem((*path, "id"), "not_a_string"))
    elif isinstance(entry_id, str) and not SLUG.match(entry_id):
        problems.append(Problem((*path, "id"), "bad_slug"))
    for key in ("title", "description"):
        if key in entry:
            value = entry[key]
            if not isinstance(value, str):
                problems.append(Problem((*path, key), "not_a_string"))
            elif not value.strip():
                problems.append(Problem((*path, key), "empty"))
    problems += _due_problems(path, entry)
    problems += _offset_problems((*path, "offsets"), entry.get("offsets", list(DEFAULT_OFFSETS)))
    problems += _slug_list_problems((*path, "indicators"), entry, known_indicators, "indicator")
    problems += _slug_list_problems((*path, "topics"), entry, known_topics, "topic")
    problems += _unit_problems((*path, "units"), entry.get("units", ALL_UNITS), *known_units)
    return problems


def _due_problems(path: Path, entry: Mapping[object, object]) -> list[Problem]:
    zone_name = entry.get("zone")
    if zone_name is not None:
        if not isinstance(zone_name, str):
            return [Problem((*path, "zone"), "not_a_string")]
        try:
            resolve_zone(zone_name)
        except UnknownZoneError:
            return [Problem((*path, "zone"), "unknown_zone")]
    if "due" not in entry:
        return []
    raw = entry["due"]
    moment = _as_datetime(raw)
    if moment is None:
        return [Problem((*path, "due"), "not_a_datetime")]
    if moment.tzinfo is None and zone_name is None:
        return [Problem((*path, "due"), "naive_datetime")]
    if moment.tzinfo is not None and isinstance(zone_name, str):
        zoned = moment.astimezone(resolve_zone(zone_name))
        if zoned.utcoffset() != moment.utcoffset():
            return [Problem((*path, "zone"), "zone_mismatch")]
    return []


def _due_at(raw: object, zone_name: object) -> datetime | None:
    moment = _as_datetime(raw)
    if moment is None:
        return None
    if moment.tzinfo is None:
        if not isinstance(zone_name, str):
            return None
        moment = moment.replace(tzinfo=resolve_zone(zone_name))
    return moment.astimezone(UTC)


def _as_datetime(raw: object) -> datetime | None:
    """Accept a datetime (unquoted YAML timestamp) or an ISO 8601 date-time string.

    A bare date ("2026-05-29", or a YAML date) is refused: write the time, e.g. T23:59.
    """
    if isinstance(raw, datetime):
        return raw
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if len(text) < 16 or text[10] not in "Tt ":
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _offset_problems(path: Path, offsets: object) -> list[Problem]:
    if not isinstance(offsets, list):
        return [Problem(path, "not_a_list")]
    problems: list[Problem] = []
    seen: set[int] = set()
    for index, offset in enumerate(offsets):
        if isinstance(offset, bool) or not isinstance(offset, int):
            problems.append(Problem((*path, index), "not_an_integer"))
        elif not 0 <= offset <= MAX_OFFSET_DAYS:
            problems.append(Problem((*path, index), "offset_out_of_range"))
        elif offset in seen:
            problems.append(Problem((*path, index), "duplicate_offset"))
        else:
            seen.add(offset)
    return problems


def _slug_list_problems(
    path: Path, entry: Mapping[object, object], known: Collection[str] | None, kind: str
) -> list[Problem]:
    key = path[-1]
    if key not in entry:
        return []
    values = entry[key]
    if not isinstance(values, list):
        return [Problem(path, "not_a_list")]
    problems: list[Problem] = []
    for index, value in enumerate(values):
        if not isinstance(value, str) or not SLUG.match(value):
            problems.append(Problem((*path, index), "bad_slug"))
        elif known is not None and value not in known:
            problems.append(Problem((*path, index), f"unknown_{kind}"))
    return problems


def _unit_problems(
    path: Path,
    units: object,
    known_types: Collection[str] | None,
    known_codes: Collection[str] | None,
) -> list[Problem]:
    if units == ALL_UNITS:
        return []
    if not isinstance(units, Mapping) or len(units) != 1 or not set(units) <= _UNIT_KEYS:
        return [Problem(path, "bad_units")]
    ((key, values),) = units.items()
    if not isinstance(values, list) or not values:
        return [Problem((*path, str(key)), "not_a_list")]
    known, reason = (known_types, "unknown_unit_type")
    if key == "codes":
        known, reason = (known_codes, "unknown_unit_code")
    problems: list[Problem] = []
    for index, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem((*path, str(key), index), "not_a_string"))
        elif known is not None and value not in known:
            problems.append(Problem((*path, str(key), index), reason))
    return problems
