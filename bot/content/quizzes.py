"""Load content/kuis/*.yaml quiz questions, validated with file:line reasons."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bot.content.source import ContentInvalid, LineDict, LineList, Located, line_of, read_yaml
from bot.domain.quiz import ROLES, QuizQuestion

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEYS = {
    "id",
    "question",
    "options",
    "answer",
    "explanation",
    "topic",
    "roles",
    "difficulty",
    "sources",
    "editions",
}


def load_quizzes(
    directory: Path,
    known_topics: set[str] | None,
    problems: list[Located],
    *,
    editions: set[str] | None = None,
) -> tuple[QuizQuestion, ...]:
    """Every question of every theme file; ids unique across files, answer keys that exist.

    `editions` are the known assessment years (the methodology files); a question's optional
    `editions:` list must name only those (None skips the check).
    """
    questions: list[QuizQuestion] = []
    seen: dict[str, Path] = {}
    for file in sorted(directory.glob("*.yaml")):
        try:
            data = read_yaml(file)
        except ContentInvalid as exc:
            problems.extend(exc.problems)
            continue
        items = data.get("questions") if isinstance(data, dict) else None
        if not isinstance(items, LineList):
            problems.append(Located(file, 1, "expected a 'questions:' list"))
            continue
        for index, item in enumerate(items):
            question = _question(file, item, index, known_topics, editions, problems)
            if question is None:
                continue
            if question.id in seen:
                problems.append(
                    Located(
                        file,
                        line_of(data, ("questions", index, "id")),
                        f"duplicate question id {question.id!r} "
                        f"(also in {seen[question.id].name})",
                    )
                )
                continue
            seen[question.id] = file
            questions.append(question)
    return tuple(questions)


def _question(
    file: Path,
    item: object,
    index: int,
    known_topics: set[str] | None,
    known_editions: set[str] | None,
    problems: list[Located],
) -> QuizQuestion | None:
    if not isinstance(item, LineDict):
        problems.append(Located(file, 1, f"question {index + 1} must be a mapping"))
        return None
    before = len(problems)

    def at(key: str, reason: str) -> None:
        problems.append(Located(file, line_of(item, (key,)) if key in item else item.line, reason))

    for key in item:
        if key not in KEYS:
            at(key, f"unknown field {key!r}")
    qid = str(item.get("id", ""))
    if not SLUG.match(qid):
        at("id", f"question id {qid!r} must be a lowercase slug")
    for key in ("question", "explanation"):
        if not str(item.get(key, "")).strip():
            at(key, f"{key} is required")
    options = item.get("options")
    pairs: list[tuple[str, str]] = []
    if not isinstance(options, dict) or not 2 <= len(options) <= 4:
        at("options", "options must map 2 to 4 keys (a, b, c, d) to answers")
    else:
        pairs = [(str(k), str(v)) for k, v in options.items()]
    answer = str(item.get("answer", ""))
    if pairs and answer not in {k for k, _ in pairs}:
        at(
            "answer",
            f"answer key {answer!r} is not one of the options ({', '.join(k for k, _ in pairs)})",
        )
    topic = str(item.get("topic", ""))
    if known_topics is not None and topic not in known_topics:
        at("topic", f"topic {topic!r} does not exist")
    roles = tuple(str(r) for r in item.get("roles") or ())
    for role in roles:
        if role not in ROLES:
            at("roles", f"unknown role {role!r}; known: {', '.join(ROLES)}")
    years = _editions(item.get("editions"), known_editions, at)
    difficulty = item.get("difficulty", 1)
    if difficulty not in (1, 2, 3):
        at("difficulty", "difficulty must be 1, 2 or 3")
        difficulty = 1
    if len(problems) > before:
        return None
    return QuizQuestion(
        id=qid,
        question=str(item["question"]).strip(),
        options=tuple(pairs),
        answer=answer,
        explanation=str(item["explanation"]).strip(),
        topic=topic,
        roles=roles,
        difficulty=int(difficulty),
        sources=tuple(str(s) for s in item.get("sources") or ()),
        theme=file.stem,
        editions=years,
    )


def _editions(
    value: object, known: set[str] | None, at: Callable[[str, str], None]
) -> tuple[str, ...]:
    """The `editions:` list as quoted years, each a known edition (absent = all editions)."""
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        at("editions", 'editions must be a non-empty list of quoted years, e.g. ["2025"]')
        return ()
    years = tuple(str(year) for year in value)
    for year, raw in zip(years, value, strict=True):
        if not isinstance(raw, str):
            at("editions", f'edition {year!r} must be quoted, e.g. "{year}"')
        elif known is not None and year not in known:
            at("editions", f"unknown edition {year!r}; known: {', '.join(sorted(known))}")
    if len(set(years)) != len(years):
        at("editions", "editions must not repeat a year")
    return years
