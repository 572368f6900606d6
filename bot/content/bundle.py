"""The immutable content bundle the bot runs on, with a version hash of the files it came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from bot.content.deadlines_loader import EMPTY as NO_TIMELINE
from bot.content.deadlines_loader import load_timeline
from bot.content.gate_loader import GATE_FILE, load_gate
from bot.content.methodologies import load_methodologies
from bot.content.quizzes import load_quizzes
from bot.content.source import ContentInvalid, Located
from bot.content.topics_loader import check_topic_links, load_lexicon, read_topics
from bot.content.units import UnitCatalog, load_units
from bot.domain.gate import Gate
from bot.domain.knowledge import Lexicon, Topic
from bot.domain.methodology import Methodology
from bot.domain.quiz import QuizQuestion
from bot.domain.timeline import Timeline


@dataclass(frozen=True, slots=True)
class ContentBundle:
    """Everything loaded from content/; `version` changes whenever any file changes."""

    root: Path
    version: str
    units: UnitCatalog
    topics: tuple[Topic, ...] = ()
    lexicon: Lexicon = field(default_factory=Lexicon)
    methodologies: dict[str, Methodology] = field(default_factory=dict)
    quizzes: tuple[QuizQuestion, ...] = ()
    deadlines: Timeline = NO_TIMELINE
    gate: Gate | None = None  # the fitted Q&A answer gate (qa-gate.yaml), if any

    def topic(self, topic_id: str) -> Topic | None:
        """A topic by id."""
        return next((t for t in self.topics if t.id == topic_id), None)


def content_version(root: Path) -> str:
    """Hash of every content file's path and bytes (stable across machines)."""
    digest = hashlib.sha256()
    for file in sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in {".yaml", ".yml", ".md"}
    ):
        digest.update(file.relative_to(root).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def load_content(root: Path) -> ContentBundle:
    """Load and validate all content; raise ContentInvalid with every problem found."""
    if not root.is_dir():
        raise ContentInvalid(
            [Located(root, 1, "content directory not found (set BOT_CONTENT_DIR)")]
        )
    problems: list[Located] = []
    units = None
    try:
        units = load_units(root / "units.yaml")
    except ContentInvalid as exc:
        problems.extend(exc.problems)

    topic_sources = read_topics(root / "topics", problems)
    topic_ids = {t.id for t, _, _ in topic_sources}
    methodologies = load_methodologies(root / "metodologi", topic_ids, problems)
    # Editions are the files present, even one that failed validation (no cascade of errors).
    editions = {file.stem for file in (root / "metodologi").glob("*.yaml")}
    problems.extend(check_topic_links(topic_sources, editions or None))
    quizzes = load_quizzes(root / "kuis", topic_ids, problems, editions=editions or None)
    lexicon = Lexicon()
    try:
        lexicon = load_lexicon(root / "lexicon.yaml")
    except ContentInvalid as exc:
        problems.extend(exc.problems)
    for group in lexicon.equivalent:
        for topic_id in group:
            if topic_id not in topic_ids:
                problems.append(
                    Located(root / "lexicon.yaml", 1, f"equivalent: unknown topic {topic_id!r}")
                )
    gate = None
    try:
        gate = load_gate(root / GATE_FILE)
    except ContentInvalid as exc:
        problems.extend(exc.problems)

    deadlines = load_timeline(
        root / "tenggat.yaml",
        units=units,
        topic_ids=topic_ids,
        methodologies=methodologies,
        problems=problems,
        # A broken edition file leaves the edition in force unknown: no cascade of link errors.
        check_indicators=editions <= set(methodologies),
    )

    if problems or units is None:
        raise ContentInvalid(problems)
    return ContentBundle(
        root=root,
        version=content_version(root),
        units=units,
        topics=tuple(t for t, _, _ in topic_sources),
        lexicon=lexicon,
        methodologies=methodologies,
        quizzes=quizzes,
        deadlines=deadlines,
        gate=gate,
    )
