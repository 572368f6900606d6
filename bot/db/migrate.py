"""Run Alembic migrations programmatically (used by `db upgrade`, `run` and tests)."""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TextIO

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"
# pg_advisory_lock key for start-up work; any constant unique to this application will do.
STARTUP_LOCK_KEY = 0x50656E64616D70  # "Pendamp"


@asynccontextmanager
async def startup_lock(engine: AsyncEngine) -> AsyncIterator[None]:
    """Let one process at a time migrate and sync content into the database.

    Two processes starting together on a fresh database would otherwise both create the
    tables (or insert the same units) and one would crash. PostgreSQL: a session advisory
    lock. SQLite file: an exclusive flock on `<database>.startup-lock` next to it.
    """
    database = engine.url.database
    if engine.dialect.name == "postgresql":
        async with engine.connect() as conn:
            await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK_KEY})
            await conn.commit()
            try:
                yield
            finally:
                await conn.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK_KEY}
                )
                await conn.commit()
    elif engine.dialect.name == "sqlite" and database and database != ":memory:":
        handle = await asyncio.to_thread(_lock_file, database)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()
    else:
        yield


def _lock_file(database: str) -> TextIO:
    """Open `<database>.startup-lock` and wait for an exclusive lock on it."""
    path = Path(database).expanduser()
    handle = path.with_name(path.name + ".startup-lock").open("a")
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    return handle


def alembic_config(url: str) -> Config:
    """An Alembic Config pointing at the packaged migrations, independent of the working folder."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    return config


def heads() -> list[str]:
    """The head revisions of the migration scripts (one, unless someone forgot to merge)."""
    return list(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database behind `engine` to `revision`."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))

    def _run(connection: object) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_run)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Take the database behind `engine` down to `revision`."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))

    def _run(connection: object) -> None:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_run)


async def current(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None when never migrated)."""
    from alembic.runtime.migration import MigrationContext

    def _get(connection: object) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()  # type: ignore[arg-type]

    async with engine.connect() as conn:
        return await conn.run_sync(_get)
