"""Code quality gates that run with the suite: ruff lint and format, mypy (strict for the core)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_ruff_lint_and_format_are_clean() -> None:
    lint = _tool("ruff", "check", "bot", "tests", "benchmarks")
    assert lint.returncode == 0, lint.stdout
    fmt = _tool("ruff", "format", "--check", "bot", "tests", "benchmarks")
    assert fmt.returncode == 0, fmt.stdout


def test_mypy_is_clean() -> None:
    result = _tool("mypy", "bot")
    assert result.returncode == 0, result.stdout
