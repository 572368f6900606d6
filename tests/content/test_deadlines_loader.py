"""The timeline loader: tenggat.yaml into the content bundle, problems as file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.bundle import load_content
from bot.content.source import ContentInvalid
from tests.conftest import CONTENT


def test_bundle_carries_the_timeline() -> None:
    bundle = load_content(CONTENT)
    assert bundle.deadlines.example is True
    assert "maklumat-pelayanan" in {entry.id for entry in bundle.deadlines.entries}


def test_broken_entries_are_reported_with_file_and_line(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    file = root / "tenggat.yaml"
    lines = file.read_text(encoding="utf-8").splitlines()
    due = next(i for i, line in enumerate(lines) if 'due: "2027-05-14T23:59:00+08:00"' in line)
    lines[due] = lines[due].replace("+08:00", "")  # a time without a zone
    topics = next(i for i, line in enumerate(lines) if line.strip().startswith("topics:"))
    lines[topics] = "    topics: [no-such-topic]"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentInvalid) as caught:
        load_content(root)
    shown = {str(problem) for problem in caught.value.problems}
    assert f"{file}:{due + 1}: naive_datetime" in shown
    assert any(s.startswith(f"{file}:") and "unknown_topic" in s for s in shown)


def test_a_missing_timeline_means_no_deadlines(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    (root / "tenggat.yaml").unlink()
    assert load_content(root).deadlines.entries == ()
