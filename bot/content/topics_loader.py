"""Loads Q&A topics (content/topics/*.md) and the lexicon (content/lexicon.yaml) into domain objects.

Content layer. Deliberately simple: ``yaml.safe_load`` of the front matter, no cross-file
validation yet (file:line validation belongs to the content validator).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.domain.knowledge import Lexicon, Topic

__all__ = ["load_lexicon", "load_topics", "parse_topic"]

_DETAIL_HEADING = "## Selengkapnya"


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return (str(value),)


def parse_topic(text: str, *, origin: str = "<string>") -> Topic:
    """Parse one topic file: YAML front matter, short answer, optional "## Selengkapnya" detail.

    Raises:
        ValueError: if the front matter is missing or has no ``id``/``title``.
    """
    parts = text.lstrip("\ufeff").split("---", 2)
    if len(parts) < 3 or parts[0].strip():
        raise ValueError(f"{origin}: missing YAML front matter")
    _, front, body = parts
    meta = yaml.safe_load(front) or {}
    if not isinstance(meta, dict) or "id" not in meta or "title" not in meta:
        raise ValueError(f"{origin}: front matter needs 'id' and 'title'")
    short, _, detail = body.partition(_DETAIL_HEADING)
    return Topic(
        id=str(meta["id"]),
        title=str(meta["title"]),
        short=short.strip(),
        detail=detail.strip(),
        questions=_strings(meta.get("questions")),
        keywords=_strings(meta.get("keywords")),
        related=_strings(meta.get("related")),
        sources=_strings(meta.get("sources")),
        editions=_strings(meta.get("editions")),
        certainty=str(meta.get("certainty", "pasti")),
    )


def load_topics(directory: Path | str) -> list[Topic]:
    """Load every ``*.md`` topic in ``directory``, sorted by file name."""
    return [
        parse_topic(path.read_text(encoding="utf-8"), origin=str(path))
        for path in sorted(Path(directory).glob("*.md"))
    ]


def _mapping(value: Any) -> dict[str, str]:
    """Accept a mapping, or a list of words (each mapped to itself)."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    return {str(v): str(v) for v in value}


def load_lexicon(path: Path | str) -> Lexicon:
    """Load ``lexicon.yaml`` (keys: abbreviations, acronyms, stem_exceptions, stopwords).

    ``stem_exceptions`` may be a mapping (word -> form to use) or a list of words to keep as
    they are. Unknown keys are ignored.
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return Lexicon(
        abbreviations=_mapping(data.get("abbreviations")),
        acronyms=_mapping(data.get("acronyms")),
        stem_exceptions=_mapping(data.get("stem_exceptions")),
        stopwords=frozenset(str(w) for w in data.get("stopwords") or ()),
    )
