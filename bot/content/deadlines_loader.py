"""Load content/tenggat.yaml (the deadline timeline) with problems reported as file:line."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from bot.content.source import ContentInvalid, Located, locate, read_yaml
from bot.content.units import UnitCatalog
from bot.domain.methodology import Methodology
from bot.domain.timeline import Timeline, parse_timeline, validate_timeline

EMPTY = Timeline(example=False, season="", entries=())


def load_timeline(
    file: Path,
    *,
    units: UnitCatalog | None,
    topic_ids: Collection[str],
    methodologies: dict[str, Methodology],
    problems: list[Located],
) -> Timeline:
    """Read and validate the timeline; a missing file means no content deadlines.

    Topic, indicator, unit type and unit code references are checked against the rest of the
    content; each problem is appended to `problems` pinned to its line.
    """
    if not file.exists():
        return EMPTY
    try:
        data = read_yaml(file)
    except ContentInvalid as exc:
        problems.extend(exc.problems)
        return EMPTY
    indicators = {i.id for m in methodologies.values() for i in m.indicators} or None
    known = {
        "known_topics": set(topic_ids) or None,
        "known_indicators": indicators,
        "known_unit_types": set(units.types) if units else None,
        "known_unit_codes": {u.code for u in units.units} if units else None,
    }
    found = validate_timeline(data, **known)
    if found:
        problems.extend(locate(file, data, found))
        return EMPTY
    return parse_timeline(data, **known)
