"""Consistent SQLite backups with sqlite3's online backup API (source opened read-only)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def backup_sqlite(source: Path, out: Path) -> tuple[int, int]:
    """Copy `source` to `out` while the bot may be writing; return (tables, users) in the copy.

    The source is opened read-only (``mode=ro``), so a backup can never change it. The copy is
    written next to `out` and renamed into place only after an integrity check, and it is
    switched out of WAL mode so it is one self-contained file.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.part")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            check = dst.execute("PRAGMA integrity_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"backup failed its integrity check: {check}")
            tables = dst.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
            has_users = dst.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'users'"
            ).fetchone()[0]
            users = dst.execute("SELECT count(*) FROM users").fetchone()[0] if has_users else 0
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, out)
    return int(tables), int(users)
