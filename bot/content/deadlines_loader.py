"""Load content/tenggat.yaml (the deadline timeline) with problems reported as file:line."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from bot.content.source import ContentInvalid, Located, locate, read_yaml
from bot.content.units import UnitCatalog
from bot.domain.editions import edition_in_force
from bot.domain.errors import Problem
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
    check_indicators: bool = True,
) -> Timeline:
    """Read and validate the timeline; a missing file means no content deadlines.

    Topic, unit type and unit code references are checked against the rest of the content, and
    indicator links against the edition in force (the default edition: every deadline's evidence
    must count for the method units are assessed with). `check_indicators=False` skips the
    indicator check (an edition file failed to load, so the edition in force is unknown). Each
    problem is appended to `problems` pinned to its line.
    """
    if not file.exists():
        return EMPTY
    try:
        data = read_yaml(file)
    except ContentInvalid as exc:
        problems.extend(exc.problems)
        return EMPTY
    edition = edition_in_force(methodologies) if check_indicators else None
    indicators = {i.id for i in methodologies[edition].indicators} if edition is not None else None
    known = {
        "known_topics": set(topic_ids) or None,
        "known_indicators": indicators,
        "known_unit_types": set(units.types) if units else None,
        "known_unit_codes": {u.code for u in units.units} if units else None,
    }
    found = validate_timeline(data, **known)
    if found:
        problems.extend(locate(file, data, [_explained(p, data, edition) for p in found]))
        return EMPTY
    return parse_timeline(data, **known)


def _explained(problem: Problem, data: object, edition: str | None) -> Problem:
    """Name the indicator and the edition an `unknown_indicator` link is missing from."""
    if problem.reason != "unknown_indicator" or edition is None:
        return problem
    value: object = data
    for key in problem.path:
        value = value[key]  # type: ignore[index]  # the validator walked this very path
    return Problem(
        problem.path,
        f"unknown_indicator: {value!r} is not an indicator of the default edition {edition} "
        "(the edition in force); link only indicators of that edition",
    )
