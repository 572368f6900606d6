"""Layering (STYLE.md section 2): domain and services never import the transport or the ORM;
no test module imports another test module (shared helpers live in non-test modules)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "bot"
FORBIDDEN = {
    "domain": {
        "telegram",
        "sqlalchemy",
        "babel",
        "bot.db",
        "bot.services",
        "bot.handlers",
        "bot.content",
        "bot.i18n",
        "yaml",
    },
    "services": {"telegram", "bot.handlers", "bot.i18n", "bot.jobs"},
    "content": {"telegram", "sqlalchemy", "bot.services", "bot.handlers"},
    "db": {"telegram", "bot.services", "bot.handlers"},
    "handlers": {"sqlalchemy", "bot.db"},
    "reports": {"telegram", "sqlalchemy", "bot.db", "bot.services", "bot.handlers", "bot.i18n"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_what_it_may(layer: str) -> None:
    offenders = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for name in _imports(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer]):
                offenders.append(f"{path.relative_to(ROOT.parent)} imports {name}")
    assert offenders == []


TESTS = Path(__file__).resolve().parent


def _test_module_imports(source: str) -> list[str]:
    """Imports of a `test_*` module (absolute or relative) in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [name for name in names if name.rsplit(".", 1)[-1].startswith("test_")]
    return found


def test_the_detector_sees_test_module_imports() -> None:
    source = (
        "from tests.e2e.test_selfcheck import register\n"
        "import tests.test_cli\n"
        "from tests.e2e import test_reminders\n"
        "from .test_membership import settings\n"
        "from tests.builders import person\n"
        "from bot.services.reminders import DeadlineDraft\n"
    )
    assert _test_module_imports(source) == [
        "tests.e2e.test_selfcheck",
        "tests.test_cli",
        "tests.e2e.test_reminders",
        ".test_membership",
    ]


def test_no_test_module_imports_another_test_module() -> None:
    """Shared helpers live in non-test modules (builders, cli_runner, e2e/steps, ...)."""
    offenders = [
        f"{path.relative_to(TESTS.parent)} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in _test_module_imports(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
