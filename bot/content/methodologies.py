"""Load content/metodologi/<edition>.yaml into Methodology objects, problems as file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.content.source import ContentInvalid, LineDict, Located, line_of, read_yaml
from bot.domain.errors import InvalidMethodology
from bot.domain.methodology import Methodology, methodology_from_dict


def load_methodologies(
    directory: Path, known_topics: set[str] | None, problems: list[Located]
) -> dict[str, Methodology]:
    """Load every edition; `extends` resolves against the other files of the folder.

    A problem inside an extending file whose location is a key the file does not write itself is
    reported in the file it inherits that key from.
    """
    docs: dict[str, tuple[Path, Any]] = {}
    for file in sorted(directory.glob("*.yaml")):
        try:
            data = read_yaml(file)
        except ContentInvalid as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(data, dict):
            problems.append(Located(file, 1, "a methodology file must be a mapping"))
            continue
        edition = str(data.get("id", file.stem))
        if edition != file.stem:
            problems.append(
                Located(
                    file,
                    line_of(data, ("id",)),
                    f"id {edition!r} must equal the file name {file.stem!r}",
                )
            )
        docs[edition] = (file, data)
    if not docs:
        problems.append(Located(directory, 1, "no methodology editions found"))
    bases = {edition: data for edition, (_, data) in docs.items()}
    result: dict[str, Methodology] = {}
    for edition, (file, data) in docs.items():
        try:
            result[edition] = methodology_from_dict(data, known_topics=known_topics, bases=bases)
        except InvalidMethodology as exc:
            for problem in exc.problems:
                owner, owner_data = _owner(file, data, problem.path, docs)
                problems.append(Located(owner, line_of(owner_data, problem.path), problem.reason))
    return result


def _owner(
    file: Path, data: Any, path: tuple[str | int, ...], docs: dict[str, tuple[Path, Any]]
) -> tuple[Path, Any]:
    """The file that actually holds `path` (follows `extends` for inherited top-level keys)."""
    seen = set()
    while path and isinstance(data, LineDict) and path[0] not in data and "extends" in data:
        parent = str(data["extends"])
        if parent in seen or parent not in docs:
            break
        seen.add(parent)
        file, data = docs[parent]
    return file, data
