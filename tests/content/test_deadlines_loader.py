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
    due = next(i for i, line in enumerate(lines) if 'due: "2027-06-18T23:59:00+08:00"' in line)
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


def _with_indicator_line(root: Path, old: str, new: str) -> tuple[Path, int]:
    file = root / "tenggat.yaml"
    lines = file.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip() == old)
    lines[index] = lines[index].replace(old, new)
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return file, index + 1


def test_a_deadline_linking_an_indicator_missing_from_the_default_edition_fails(
    tmp_path: Path,
) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    # in-dasar-hukum-sp exists in 2022-2024 but not in 2025, the edition in force.
    file, line = _with_indicator_line(
        root,
        "indicators: [in-perencanaan-partisipatif]",
        "indicators: [in-perencanaan-partisipatif, in-dasar-hukum-sp]",
    )
    with pytest.raises(ContentInvalid) as caught:
        load_content(root)
    shown = [str(problem) for problem in caught.value.problems]
    assert shown == [
        f"{file}:{line}: unknown_indicator: 'in-dasar-hukum-sp' is not an indicator of the "
        "default edition 2025 (the edition in force); link only indicators of that edition"
    ]


def test_the_default_edition_for_links_is_the_newest_with_indicators(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    (root / "metodologi" / "2025.yaml").unlink()
    file, line = _with_indicator_line(
        root, "indicators: [in-perencanaan-partisipatif]", "indicators: [in-dasar-hukum-sp]"
    )
    # Without 2025, 2024 is in force: its indicator is fine, the 2025-only links are not.
    with pytest.raises(ContentInvalid) as caught:
        load_content(root)
    shown = [str(p) for p in caught.value.problems if str(p).startswith(f"{file}:")]
    assert shown and all("not an indicator of the default edition 2024" in s for s in shown)
    assert not any(s.startswith(f"{file}:{line}:") for s in shown)


def test_a_broken_edition_file_does_not_cascade_into_link_errors(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    edition = root / "metodologi" / "2025.yaml"
    edition.write_text(
        edition.read_text(encoding="utf-8").replace("scale: {min: 0, max: 3}", "scale: 3"),
        encoding="utf-8",
    )
    with pytest.raises(ContentInvalid) as caught:
        load_content(root)
    shown = [str(problem) for problem in caught.value.problems]
    assert shown and all(s.startswith(str(edition)) for s in shown)
