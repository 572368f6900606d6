"""Evidence file storage on disk under BOT_STORAGE_DIR, with paths generated here only."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

from bot.domain.evidence import is_safe_key, storage_key


class UnsafePath(ValueError):
    """A storage key that is malformed or would resolve outside the storage folder."""


class FileStore:
    """Writes, finds and deletes stored copies; every key is checked before any file access."""

    def __init__(self, root: Path) -> None:
        self._root = root.expanduser().resolve()

    @property
    def root(self) -> Path:
        """The storage folder (absolute)."""
        return self._root

    def path(self, key: str) -> Path:
        """The absolute path of `key`; raise UnsafePath unless it stays inside the folder."""
        if not is_safe_key(key):
            raise UnsafePath(key)
        path = (self._root / key).resolve()
        if not path.is_relative_to(self._root):
            raise UnsafePath(key)
        return path

    async def save(self, unit_code: str, extension: str, data: bytes) -> str:
        """Store `data` as a new file of the unit; return its key."""
        key = storage_key(unit_code, uuid.uuid4().hex, extension)
        path = self.path(key)
        await asyncio.to_thread(_write_atomically, path, data)
        return key

    async def delete(self, key: str) -> bool:
        """Remove a stored copy; False if it was already gone."""
        path = self.path(key)
        try:
            await asyncio.to_thread(path.unlink)
        except FileNotFoundError:
            return False
        return True

    def exists(self, key: str) -> bool:
        """Whether the stored copy is on disk."""
        return self.path(key).is_file()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    with open(temporary, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
