"""Topics know their editions and tell certainty in three levels; broken copies are located."""

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


def _problems(root: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        load_content(root)
    return [str(p) for p in caught.value.problems]


def _line(file: Path, prefix: str) -> int:
    lines = file.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(prefix))


def test_every_shipped_topic_has_editions_and_a_certainty_level() -> None:
    bundle = load_content(CONTENT)
    years = set(bundle.methodologies)
    for topic in bundle.topics:
        assert topic.editions, topic.id
        assert topic.editions == ("umum",) or set(topic.editions) <= years, topic.id
        assert topic.certainty in {"pasti", "satu-sumber", "belum-pasti"}, topic.id


def test_missing_editions_and_old_certainty_are_located(content: Path) -> None:
    topic = content / "topics" / "maklumat-pelayanan.md"
    text = topic.read_text(encoding="utf-8")
    assert 'editions: ["umum"]\n' in text
    topic.write_text(
        text.replace('editions: ["umum"]\n', "").replace(
            "certainty: pasti", "certainty: sebagian"
        ),
        encoding="utf-8",
    )
    problems = _problems(content)
    assert f"{topic}:1: editions is required" in " ".join(problems)
    line = _line(topic, "certainty:")
    assert any(
        p.startswith(f"{topic}:{line}: certainty 'sebagian' is no longer used") for p in problems
    ), problems


def test_year_without_a_methodology_is_located(content: Path) -> None:
    topic = content / "topics" / "kompensasi.md"
    text = topic.read_text(encoding="utf-8")
    topic.write_text(text.replace('editions: ["umum"]', 'editions: ["2024", "2019"]'), "utf-8")
    line = _line(topic, "editions:")
    assert any(p.startswith(f"{topic}:{line}: unknown edition '2019'") for p in _problems(content))


def test_indicators_dropped_in_2025_begin_with_the_2025_state() -> None:
    """An edition-bound topic linked from a 2024 indicator but from no 2025 indicator says first
    what 2025 does (general topics on the law, e.g. SP components, keep their definition first)."""
    bundle = load_content(CONTENT)

    def linked(edition: str) -> set[str]:
        return {
            indicator.topic
            for dimension in bundle.methodologies[edition].dimensions
            for variable in dimension.variables
            for indicator in variable.indicators
        }

    dropped = linked("2024") - linked("2025")
    assert {"ind-visi-misi", "ind-moto"} <= dropped
    for topic_id in sorted(dropped):
        topic = bundle.topic(topic_id)
        assert topic is not None
        if topic.editions == ("umum",):
            continue
        first = topic.short.split("\n\n", 1)[0]
        assert "2025" in first, topic_id
