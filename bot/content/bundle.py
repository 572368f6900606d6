"""The immutable content bundle the bot runs on, with a version hash of the files it came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.content.source import ContentInvalid, Located
from bot.content.units import UnitCatalog, load_units


@dataclass(frozen=True, slots=True)
class ContentBundle:
    """Everything loaded from content/; `version` changes whenever any file changes."""

    root: Path
    version: str
    units: UnitCatalog


def content_version(root: Path) -> str:
    """Hash of every content file's path and bytes (stable across machines)."""
    digest = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".yaml", ".yml", ".md"}):
        digest.update(file.relative_to(root).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def load_content(root: Path) -> ContentBundle:
    """Load and validate all content; raise ContentInvalid with every problem found."""
    problems: list[Located] = []
    if not root.is_dir():
        raise ContentInvalid([Located(root, 1, "content directory not found (set BOT_CONTENT_DIR)")])
    units = None
    try:
        units = load_units(root / "units.yaml")
    except ContentInvalid as exc:
        problems.extend(exc.problems)
    if problems or units is None:
        raise ContentInvalid(problems)
    return ContentBundle(root=root, version=content_version(root), units=units)
