"""Layering (STYLE.md section 2): domain and services never import the transport or the ORM."""

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
