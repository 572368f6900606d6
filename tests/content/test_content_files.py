"""Topics, methodology and quizzes: shipped content is valid; broken copies are located."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.bundle import load_content
from bot.content.source import ContentInvalid
from tests.conftest import CONTENT


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


def _edit(file: Path, old: str, new: str) -> int:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = text.split(old, 1)[0]
    return before.count("\n") + 1 + new.split(new.strip().split("\n")[0], 1)[0].count("\n")


def _problems(root: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        load_content(root)
    return [str(p) for p in caught.value.problems]


def test_shipped_content_has_everything() -> None:
    bundle = load_content(CONTENT)
    assert len(bundle.topics) >= 80
    assert len(bundle.quizzes) >= 80
    assert {"2021", "2022", "2023", "2024", "2025"} <= set(bundle.methodologies)
    assert bundle.topic("komponen-sp") is not None
    assert all(t.sources for t in bundle.topics)


def test_topic_problems_are_located(content: Path) -> None:
    topic = content / "topics" / "maklumat-pelayanan.md"
    text = topic.read_text(encoding="utf-8")
    lines = text.splitlines()
    related_line = next(
        i for i, text_line in enumerate(lines, 1) if text_line.startswith("related")
    )
    text = text.replace(lines[related_line - 1], "related: [tidak-ada-topik]")
    text = text.replace(
        "sources:\n  - UU 25/2009 Pasal 22\n  - PermenPANRB 15/2014 tentang "
        "Pedoman Standar Pelayanan\n",
        "sources: []\n",
        1,
    )
    sources_line = next(
        i for i, text_line in enumerate(text.splitlines(), 1) if text_line.startswith("sources")
    )
    topic.write_text(text, encoding="utf-8")
    dup = content / "topics" / "kompensasi.md"
    dup_text = dup.read_text(encoding="utf-8").replace("id: kompensasi", "id: maklumat-pelayanan")
    dup.write_text(dup_text, encoding="utf-8")
    problems = _problems(content)
    assert f"{topic}:{related_line}: related topic 'tidak-ada-topik' does not exist" in problems
    assert any(
        p.startswith(f"{topic}:{sources_line}: at least one source is required") for p in problems
    )
    assert any(
        p.startswith(f"{dup}:") and "must equal the file name 'kompensasi'" in p for p in problems
    )


def test_unknown_edition_in_topic(content: Path) -> None:
    topic = content / "topics" / "edisi-2025.md"
    text = topic.read_text(encoding="utf-8")
    assert '"2025"' in text
    topic.write_text(text.replace('"2025"', '"2030"', 1), encoding="utf-8")
    assert any(
        p.startswith(f"{topic}:") and "unknown edition '2030'" in p for p in _problems(content)
    )


def test_methodology_weights_that_do_not_add_up(content: Path) -> None:
    file = content / "metodologi" / "2023.yaml"
    text = file.read_text(encoding="utf-8")
    assert "weight: 21.85" in text
    file.write_text(text.replace("weight: 21.85", "weight: 25.85", 1), encoding="utf-8")
    line = next(
        i for i, text_line in enumerate(file.read_text().splitlines(), 1) if "25.85" in text_line
    )
    problems = _problems(content)
    assert any(p.startswith(f"{file}:") and "add up" in p for p in problems), problems
    assert any(p.startswith(f"{file}:{line}:") for p in problems) or any(
        p.startswith(f"{file}:") for p in problems
    )


def test_quiz_answer_key_missing(content: Path) -> None:
    file = content / "kuis" / "maklumat.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("    answer: a\n", "    answer: e\n", 1), encoding="utf-8")
    line = next(
        i
        for i, text_line in enumerate(file.read_text().splitlines(), 1)
        if "answer: e" in text_line
    )
    assert f"{file}:{line}: answer key 'e' is not one of the options (a, b, c, d)" in _problems(
        content
    )


def test_quiz_unknown_topic_and_duplicate_id(content: Path) -> None:
    file = content / "kuis" / "skm.yaml"
    text = file.read_text(encoding="utf-8")
    first_topic = next(
        text_line for text_line in text.splitlines() if text_line.strip().startswith("topic:")
    )
    text = text.replace(first_topic, "    topic: topik-hilang", 1)
    file.write_text(text, encoding="utf-8")
    problems = _problems(content)
    assert any(
        p.startswith(f"{file}:") and "topic 'topik-hilang' does not exist" in p for p in problems
    )


def test_quiz_editions_are_validated(content: Path) -> None:
    file = content / "kuis" / "skm.yaml"
    text = file.read_text(encoding="utf-8")
    first_topic = next(
        text_line for text_line in text.splitlines() if text_line.strip().startswith("topic:")
    )
    text = text.replace(first_topic, f'{first_topic}\n    editions: ["2030", 2023]', 1)
    file.write_text(text, encoding="utf-8")
    line = next(i for i, text_line in enumerate(text.splitlines(), 1) if "editions:" in text_line)
    problems = _problems(content)
    assert any(p.startswith(f"{file}:{line}:") and "unknown edition '2030'" in p for p in problems)
    assert any(p.startswith(f"{file}:{line}:") and "must be quoted" in p for p in problems)


def test_quiz_editions_are_loaded() -> None:
    bundle = load_content(CONTENT)
    years = {year for question in bundle.quizzes for year in question.editions}
    assert years <= set(bundle.methodologies)
    assert "2025" in years
