"""YAML reading with line numbers, so every content problem is reported as file:line: reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.domain.errors import Problem


@dataclass(frozen=True, slots=True)
class Located:
    """A problem pinned to a file and line (1-based)."""

    file: Path
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class ContentInvalid(Exception):
    """Raised when content cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Located]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class LineDict(dict[Any, Any]):
    """A mapping that remembers the line of itself and of each key."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 1
        self.key_lines: dict[Any, int] = {}


class LineList(list[Any]):
    """A sequence that remembers the line of itself and of each item."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 1
        self.item_lines: list[int] = []


# libyaml's parser (when PyYAML was built with it) is about ten times faster; construction stays
# in Python either way, so the line-tracking constructors below work with both.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that builds LineDict/LineList instead of plain containers."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay strings: the loaders decide how to parse them (and reject naive datetimes).
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, file: Path, *, first_line: int = 1) -> Any:
    """Parse YAML text keeping line numbers; raise ContentInvalid with file:line on syntax errors.

    `first_line` shifts line numbers when the YAML is embedded (front matter starts at line 2).
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + first_line) if mark is not None else first_line
        reason = getattr(exc, "problem", None) or str(exc)
        raise ContentInvalid([Located(file, line, f"invalid YAML: {reason}")]) from None
    if first_line != 1:
        _shift(data, first_line - 1)
    return data


def _shift(node: Any, offset: int) -> None:
    if isinstance(node, LineDict):
        node.line += offset
        node.key_lines = {k: v + offset for k, v in node.key_lines.items()}
        for value in node.values():
            _shift(value, offset)
    elif isinstance(node, LineList):
        node.line += offset
        node.item_lines = [v + offset for v in node.item_lines]
        for value in node:
            _shift(value, offset)


def read_yaml(file: Path) -> Any:
    """Read and parse one YAML file; a missing or unreadable file is a located problem too."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentInvalid([Located(file, 1, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentInvalid([Located(file, 1, f"cannot read file: {exc}")]) from None
    return parse_yaml(text, file)


def line_of(data: Any, path: Iterable[str | int]) -> int:
    """Return the line of the deepest node of `path` that exists in `data` (1 if none)."""
    line = getattr(data, "line", 1)
    node = data
    for key in path:
        if isinstance(node, LineDict) and key in node:
            line = node.key_lines.get(key, line)
            node = node[key]
        elif isinstance(node, LineList) and isinstance(key, int) and 0 <= key < len(node):
            line = node.item_lines[key]
            node = node[key]
        else:
            break
    return line


def locate(file: Path, data: Any, problems: Iterable[Problem]) -> list[Located]:
    """Pin domain-level problems (paths inside a document) to lines of `file`."""
    return [Located(file, line_of(data, p.path), p.reason) for p in problems]


def pydantic_problems(error: Any) -> list[Problem]:
    """Turn a pydantic ValidationError into Problems with paths, in plain operator English."""
    problems = []
    for item in error.errors():
        path = tuple(part for part in item["loc"] if isinstance(part, str | int))
        field = ".".join(str(p) for p in path) or "document"
        problems.append(Problem(path, f"{field}: {item['msg']}"))
    return problems
