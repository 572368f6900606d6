"""units.yaml: the shipped file is valid; broken copies are reported as file:line: reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.bundle import load_content
from bot.content.source import ContentInvalid
from tests.conftest import CONTENT


def test_shipped_content_loads() -> None:
    bundle = load_content(CONTENT)
    codes = [u.code for u in bundle.units.units]
    assert "disdukcapil" in codes and "bag-organisasi" in codes
    assert len(bundle.version) == 12
    assert bundle.units.zone_of(bundle.units.units[0]) == "Asia/Makassar"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    units = root / "units.yaml"
    text = units.read_text(encoding="utf-8")
    assert old in text
    units.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def _line_of(root: Path, fragment: str) -> int:
    lines = (root / "units.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if fragment in line)


@pytest.mark.parametrize(
    ("old", "new", "fragment", "reason"),
    [
        ("code: dinsos", "code: dinkes", "code: dinkes\n", "duplicate unit code 'dinkes'"),
        ("type: rsud", "type: rumah-sakit", "type: rumah-sakit", "unknown type 'rumah-sakit'"),
        (
            "code: disdik",
            "code: Dinas Pendidikan",
            "code: Dinas Pendidikan",
            "must be a lowercase slug",
        ),
        (
            "timezone: Asia/Makassar",
            "timezone: Mars/Base",
            "timezone: Mars/Base",
            "unknown time zone",
        ),
    ],
)
def test_broken_units_report_file_and_line(
    tmp_path: Path, old: str, new: str, fragment: str, reason: str
) -> None:
    root = _broken(tmp_path, old, new)
    with pytest.raises(ContentInvalid) as caught:
        load_content(root)
    problems = caught.value.problems
    # the duplicate case points at the second occurrence
    expected_line = (
        _line_of(root, "code: dinkes") if "duplicate" in reason else _line_of(root, fragment)
    )
    if "duplicate" in reason:
        lines = [
            i
            for i, text_line in enumerate((root / "units.yaml").read_text().splitlines(), 1)
            if "code: dinkes" in text_line
        ]
        expected_line = lines[-1]
    assert any(p.line == expected_line and reason in p.reason for p in problems), problems
    assert all(str(p).startswith(f"{root / 'units.yaml'}:") for p in problems)


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    root = _broken(tmp_path, "name: Dinas Sosial", "name: [Dinas Sosial")
    with pytest.raises(ContentInvalid) as caught:
        load_content(root)
    (problem,) = caught.value.problems
    assert problem.reason.startswith("invalid YAML")
    assert abs(problem.line - _line_of(root, "name: [Dinas Sosial")) <= 1


def test_missing_file_and_unknown_field(tmp_path: Path) -> None:
    root = _broken(
        tmp_path,
        "    government: kota-bontang\n  - code: dinkes",
        "    government: kota-bontang\n    warna: biru\n  - code: dinkes",
    )
    with pytest.raises(ContentInvalid) as caught:
        load_content(root)
    assert any(
        "warna" in p.reason and p.line == _line_of(root, "warna: biru")
        for p in caught.value.problems
    )
    (root / "units.yaml").unlink()
    with pytest.raises(ContentInvalid, match="file not found"):
        load_content(root)
