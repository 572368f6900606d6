"""Load Q&A topics (content/topics/*.md) and the lexicon, validating them with file:line reasons.

A topic file is YAML front matter between `---` lines, a short answer, and an optional detail
after a "## Selengkapnya" heading (see content/README.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from bot.content.source import ContentInvalid, LineDict, Located, line_of, parse_yaml, read_yaml
from bot.domain.knowledge import Lexicon, Topic

__all__ = ["check_topic_links", "load_lexicon", "load_topics", "parse_topic", "read_topics"]

DETAIL_HEADING = "## Selengkapnya"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SHORT = 900  # one phone screen; editors aim for 700 (content/README.md)
# Certainty levels by meaning (brief tags [C] / [S] / [U]): confirmed by a regulation or two or
# more independent sources; one source only; not confirmed (inferred, garbled or contested).
CERTAINTIES = ("pasti", "satu-sumber", "belum-pasti")
GENERAL = "umum"  # an edition-independent topic (law, standar pelayanan, SKM, complaints)
YEAR = re.compile(r"^\d{4}$")
TOPIC_KEYS = {
    "id",
    "title",
    "editions",
    "questions",
    "keywords",
    "related",
    "sources",
    "certainty",
    "updated",
}


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return (str(value),)


def parse_topic(text: str, *, origin: Path | str = "<string>") -> Topic:
    """Parse one topic file; raise ContentInvalid with every problem found."""
    found: list[Located] = []
    topic, _meta = _parse(text, Path(origin), found)
    if found or topic is None:
        raise ContentInvalid(found)
    return topic


def _parse(text: str, file: Path, problems: list[Located]) -> tuple[Topic | None, LineDict]:
    """Parse one topic file, appending problems; return the topic and its front matter."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        problems.append(
            Located(file, 1, "missing YAML front matter (the file must start with ---)")
        )
        return None, LineDict()
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), None)
    if end is None:
        problems.append(Located(file, 1, "front matter is not closed with a --- line"))
        return None, LineDict()
    try:
        meta = parse_yaml("".join(lines[1:end]), file, first_line=2)
    except ContentInvalid as exc:
        problems.extend(exc.problems)
        return None, LineDict()
    if not isinstance(meta, LineDict):
        problems.append(Located(file, 2, "front matter must be a mapping of fields"))
        return None, LineDict()
    body = "".join(lines[end + 1 :])
    short, _, detail = body.partition(DETAIL_HEADING)
    short, detail = short.strip(), detail.strip()

    def at(key: str, reason: str) -> None:
        problems.append(Located(file, line_of(meta, (key,)) if key in meta else 1, reason))

    for key in meta:
        if key not in TOPIC_KEYS:
            at(key, f"unknown field {key!r}")
    topic_id = str(meta.get("id", ""))
    if not topic_id:
        at("id", "id is required")
    elif not SLUG.match(topic_id):
        at("id", f"id {topic_id!r} must be a lowercase slug (letters, digits, hyphens)")
    elif file.suffix == ".md" and file.stem != topic_id:
        at("id", f"id {topic_id!r} must equal the file name {file.stem!r}")
    if not str(meta.get("title", "")).strip():
        at("title", "title is required")
    if not _strings(meta.get("questions")):
        at("questions", "at least one example question is required")
    if not _strings(meta.get("sources")):
        at("sources", "at least one source is required (regulation or methodology edition)")
    certainty = str(meta.get("certainty", ""))
    if "certainty" not in meta:
        at("certainty", f"certainty is required: one of {', '.join(CERTAINTIES)}")
    elif certainty == "sebagian":
        at(
            "certainty",
            "certainty 'sebagian' is no longer used: write satu-sumber (one source) or "
            "belum-pasti (inferred or contested)",
        )
    elif certainty not in CERTAINTIES:
        at("certainty", f"certainty must be one of {', '.join(CERTAINTIES)}, not {certainty!r}")
    _check_editions(meta, at)
    if not short:
        problems.append(
            Located(file, end + 2, "the short answer (text after the front matter) is empty")
        )
    elif len(short) > MAX_SHORT:
        problems.append(
            Located(
                file,
                end + 2,
                f"short answer has {len(short)} characters; keep it under {MAX_SHORT}",
            )
        )
    topic = Topic(
        id=topic_id,
        title=str(meta.get("title", "")).strip(),
        short=short,
        detail=detail,
        questions=_strings(meta.get("questions")),
        keywords=_strings(meta.get("keywords")),
        related=_strings(meta.get("related")),
        sources=_strings(meta.get("sources")),
        editions=_strings(meta.get("editions")),
        certainty=certainty,
    )
    return topic, meta


def _check_editions(meta: LineDict, at: Callable[[str, str], None]) -> None:
    """`editions` is a non-empty list of years, or ["umum"] alone (years are checked later
    against the methodology editions that exist)."""
    value = meta.get("editions")
    if "editions" not in meta:
        at(
            "editions",
            'editions is required: the methodology years the topic describes, e.g. ["2025"], '
            f'or ["{GENERAL}"] when it holds for every edition',
        )
    elif not isinstance(value, list) or not value:
        at("editions", 'editions must be a non-empty list, e.g. ["2025"] or ["umum"]')
    else:
        items = [str(v) for v in value]
        for item in items:
            if item != GENERAL and not YEAR.match(item):
                at("editions", f"edition {item!r} is neither a year nor {GENERAL!r}")
        if GENERAL in items and len(items) > 1:
            at("editions", f"{GENERAL!r} stands alone: a general topic lists no years")
        if len(set(items)) != len(items):
            at("editions", "an edition is listed twice")


TopicSource = tuple[Topic, Path, LineDict]


def read_topics(directory: Path | str, problems: list[Located]) -> list[TopicSource]:
    """Parse every `*.md` topic (README.md is the editors' guide), keeping where each came from."""
    sources: list[TopicSource] = []
    for path in sorted(Path(directory).glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Located(path, 1, f"cannot read file: {exc}"))
            continue
        topic, meta = _parse(text, path, problems)
        if topic is not None and topic.id:
            sources.append((topic, path, meta))
    return sources


def load_topics(directory: Path | str) -> list[Topic]:
    """Load and check every topic; raise ContentInvalid with every problem (used by benchmarks)."""
    problems: list[Located] = []
    sources = read_topics(directory, problems)
    problems.extend(check_topic_links(sources, None))
    if problems:
        raise ContentInvalid(problems)
    return [topic for topic, _, _ in sources]


def check_topic_links(sources: list[TopicSource], editions: set[str] | None) -> list[Located]:
    """Cross-file rules: unique ids, related ids that exist, editions that exist."""
    problems: list[Located] = []
    seen: dict[str, Topic] = {}
    ids = {t.id for t, _, _ in sources}
    for topic, file, meta in sources:

        def at(
            key: str,
            reason: str,
            index: int | None = None,
            file: Path = file,
            meta: LineDict = meta,
        ) -> None:
            path: tuple[str | int, ...] = (key,) if index is None else (key, index)
            problems.append(Located(file, line_of(meta, path), reason))

        if topic.id in seen:
            at("id", f"duplicate topic id {topic.id!r}")
        seen[topic.id] = topic
        for index, related in enumerate(topic.related):
            if related not in ids:
                at("related", f"related topic {related!r} does not exist", index)
            elif related == topic.id:
                at("related", "a topic cannot be related to itself", index)
        if editions is not None:
            for index, edition in enumerate(topic.editions):
                if edition != GENERAL and YEAR.match(edition) and edition not in editions:
                    at(
                        "editions",
                        f"unknown edition {edition!r}; known: "
                        f"{', '.join(sorted(editions))} or {GENERAL!r}",
                        index,
                    )
    return problems


def _mapping(value: Any) -> dict[str, str]:
    """Accept a mapping, or a list of words (each mapped to itself)."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        # An empty value ("the:") means "drop this word" (used by the english section).
        return {str(k).lower(): "" if v is None else str(v) for k, v in value.items()}
    return {str(v).lower(): str(v) for v in value}


def _equivalent_groups(
    value: Any, file: Path, data: Any, problems: list[Located]
) -> tuple[tuple[str, ...], ...]:
    """The ``equivalent`` section: a list of lists of at least two topic ids, each id once."""
    groups: list[tuple[str, ...]] = []
    seen: set[str] = set()
    if value is not None and not isinstance(value, list):
        value = [value]  # reported below as a malformed entry
    for index, group in enumerate(value or ()):
        ids = tuple(str(i) for i in group) if isinstance(group, list) else ()
        if len(ids) < 2 or len(set(ids)) != len(ids) or seen & set(ids):
            problems.append(
                Located(
                    file,
                    line_of(data, ("equivalent", index)),
                    "equivalent entries are lists of two or more topic ids, each id in one group",
                )
            )
            continue
        seen.update(ids)
        groups.append(ids)
    return tuple(groups)


def load_lexicon(path: Path | str) -> Lexicon:
    """Load lexicon.yaml (abbreviations, acronyms, stemming, stopwords, English, off-topic,
    generic words, unit names, common words)."""
    file = Path(path)
    data = read_yaml(file) or LineDict()
    problems = []
    known = {
        "abbreviations",
        "acronyms",
        "stem_exceptions",
        "stopwords",
        "english",
        "off_topic",
        "generic",
        "units",
        "common",
        "equivalent",
        "small_talk",
    }
    if not isinstance(data, dict):
        raise ContentInvalid([Located(file, 1, "lexicon must be a mapping")])
    for key in data:
        if key not in known:
            problems.append(Located(file, line_of(data, (key,)), f"unknown section {key!r}"))
    for key in ("abbreviations", "acronyms", "english"):
        if data.get(key) is not None and not isinstance(data[key], Mapping):
            problems.append(Located(file, line_of(data, (key,)), f"{key} must be a mapping"))
    for index, cue in enumerate(data.get("off_topic") or ()):
        if not isinstance(cue, str) or not cue.split() or len(cue.split()) > 4:
            problems.append(
                Located(
                    file,
                    line_of(data, ("off_topic", index)),
                    f"off_topic entries are words or phrases of up to 4 words, not {cue!r}",
                )
            )
    equivalent = _equivalent_groups(data.get("equivalent"), file, data, problems)
    if problems:
        raise ContentInvalid(problems)
    small_talk = data.get("small_talk") or {}
    if not isinstance(small_talk, Mapping) or not all(
        key in {"greeting", "thanks", "who", "capabilities", "bye"} and isinstance(v, list)
        for key, v in small_talk.items()
    ):
        raise ContentInvalid(
            [
                Located(
                    file,
                    line_of(data, ("small_talk",)),
                    "small_talk maps greeting/thanks/who/capabilities/bye to lists of phrases",
                )
            ]
        )
    return Lexicon(
        equivalent=equivalent,
        small_talk={str(k): tuple(str(p) for p in v) for k, v in small_talk.items()},
        abbreviations=_mapping(data.get("abbreviations")),
        acronyms=_mapping(data.get("acronyms")),
        stem_exceptions=_mapping(data.get("stem_exceptions")),
        stopwords=frozenset(str(w) for w in data.get("stopwords") or ()),
        english=_mapping(data.get("english")),
        off_topic=frozenset(str(w).lower() for w in data.get("off_topic") or ()),
        generic=frozenset(str(w).lower() for w in data.get("generic") or ()),
        units=frozenset(str(w).lower() for w in data.get("units") or ()),
        common=frozenset(str(w).lower() for w in data.get("common") or ()),
    )
