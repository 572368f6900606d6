"""Shared fixtures: clean environment, loopback-only network, databases, services, fixed clock."""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
POSTGRES_URL = os.environ.get("BOT_TEST_POSTGRES_URL")


class SteppingClock:
    """A clock tests move by hand; it never reads the wall clock."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No BOT_* variable (or .env file) from the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("BOT_") and name != "BOT_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    monkeypatch.setitem(Settings.model_config, "env_file", None)


def _is_loopback(host: Any) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection to a non-loopback address (the spirit of PTB's OfflineRequest)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guard(address: Any) -> None:
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            raise AssertionError(f"test tried to reach {address!r}; only 127.0.0.1 is allowed")

    def connect(self: socket.socket, address: Any) -> Any:
        guard(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        guard(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def clock() -> SteppingClock:
    """Thursday 12 June 2025, 00:00 UTC (08:00 WITA)."""
    return SteppingClock(datetime(2025, 6, 12, 0, 0, tzinfo=UTC))


async def _fresh_postgres(base_url: str) -> str:
    """Create an empty database for one test on the CI PostgreSQL server."""
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    name = f"t_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(
        user=url.username,
        password=url.password,
        host=url.host,
        port=url.port or 5432,
        database=url.database or "postgres",
    )
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database: SQLite in tmp_path, or a fresh PostgreSQL database in CI's second run."""
    if POSTGRES_URL:
        yield await _fresh_postgres(POSTGRES_URL)
    else:
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"


@pytest.fixture
def settings_factory(database_url: str, tmp_path: Path) -> Iterator[Any]:
    """Build Settings for a test (never from the environment)."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "token": "123456:TEST-TOKEN",
            "database_url": database_url,
            "content_dir": CONTENT,
            "storage_dir": tmp_path / "files",
            "admin_ids": "900",
            "timezone": "Asia/Jakarta",
        }
        values.update(overrides)
        return Settings(**values)

    yield make


@pytest.fixture
def settings(settings_factory: Any) -> Settings:
    """Default test settings."""
    return settings_factory()  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def shipped_content() -> Any:
    """The shipped content, loaded once (the bundle is immutable)."""
    from bot.content.bundle import load_content

    return load_content(CONTENT)


@pytest.fixture
async def services(
    settings: Settings, clock: SteppingClock, shipped_content: Any
) -> AsyncIterator[Any]:
    """Real services on a migrated database with the shipped content."""
    from bot.app import build_services

    built = await build_services(settings, clock=clock, content=shipped_content)
    try:
        yield built
    finally:
        await built.engine.dispose()


@pytest.fixture
def cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Any:
    """Run `python -m bot ...` in this process; return (exit code, stdout, stderr)."""
    import bot.logging_setup
    from bot.cli import main

    monkeypatch.setattr(bot.logging_setup, "setup_logging", lambda *a, **k: None)
    monkeypatch.setenv("BOT_CONTENT_DIR", str(CONTENT))
    monkeypatch.setenv("BOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("BOT_ADMIN_IDS", "900")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run
