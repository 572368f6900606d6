"""The default edition on the command line: `content check` names it, enforces deadline links."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli_runner import _one_clear_line, _run
from tests.conftest import CONTENT


def test_content_check_names_the_default_edition(tmp_path: Path) -> None:
    ok = _run(["content", "check"], tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.rstrip().endswith("default edition 2025 (in force)")
    pinned = _run(["content", "check"], tmp_path, BOT_EDITION="2024")
    assert pinned.stdout.rstrip().endswith("default edition 2024 (BOT_EDITION)")
    line = _one_clear_line(_run(["content", "check"], tmp_path, BOT_EDITION="2021"))
    assert line.startswith("error: BOT_EDITION: '2021' is not an edition with self-check")


def test_content_check_fails_on_a_deadline_link_outside_the_default_edition(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    timeline = content / "tenggat.yaml"
    lines = timeline.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "indicators: [pg-tindak-lanjut]" in line)
    lines[index] = "    indicators: [pg-register]  # a 2023-2024 indicator, dropped in 2025"
    timeline.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = _run(["content", "check", "--dir", str(content)], tmp_path)
    assert bad.returncode == 3
    assert f"{timeline}:{index + 1}: unknown_indicator: 'pg-register'" in bad.stderr
    assert "default edition 2025" in bad.stderr and "1 problem(s) found" in bad.stderr
