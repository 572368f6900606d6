"""Real `python -m bot` processes for the process tests: a polling bot as a context manager,
a webhook/sender process whose output is read line by line, and a database with many members
whose reminder is due (for the kill -9 tests)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.db.models import UserRow
from bot.services.reminders import DeadlineDraft
from tests.builders import member, unit_id
from tests.conftest import CONTENT, ROOT, SteppingClock
from tests.e2e.conftest import TOKEN
from tests.fakes.bot_api import FakeBotAPI

#: The sender's concurrency: the most requests that can be in flight at a kill.
CONCURRENCY = 16


async def _prepare(settings_factory: Any, db: Path | str, *, now: datetime, users: int) -> None:
    """A database (a SQLite file or a URL) with `users` members of one unit whose reminder is
    due at `now`."""
    from bot.app import build_services

    clock = SteppingClock(now - timedelta(days=1))
    url = db if isinstance(db, str) else f"sqlite+aiosqlite:///{db}"
    services = await build_services(settings_factory(database_url=url), clock=clock)
    try:
        dinkes = await unit_id(services, "dinkes")
        async with services.sessions.begin() as session:
            await session.execute(
                insert(UserRow),
                [
                    {
                        "telegram_id": 50_000 + i,
                        "chat_id": 50_000 + i,
                        "display_name": f"P{i}",
                        "unit_id": dinkes,
                        "role": "member",
                        "language": "id",
                        "timezone": "UTC",
                        "reminder_hour": now.hour,
                        "quiet_weekends": False,
                        "muted": False,
                        "active": True,
                        "blocked": False,
                        "created_at": clock(),
                        "updated_at": clock(),
                    }
                    for i in range(users)
                ],
            )
        admin = await member(services, 900, None)
        # Due two days from now; offset 2 is planned today at the users' hour (UTC): just past.
        await services.reminders.create_deadline(
            admin,
            DeadlineDraft(
                title="Maklumat",
                due_at=now + timedelta(days=2),
                scope={"unit_ids": [dinkes]},
                offsets=(2,),
            ),
        )
    finally:
        await services.engine.dispose()


@asynccontextmanager
async def bot_process(
    api: FakeBotAPI, db: Path, **settings: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_TOKEN=TOKEN,
        BOT_API_BASE_URL=api.base_url,
        BOT_API_FILE_URL=api.base_file_url,
        BOT_DATABASE_URL=f"sqlite+aiosqlite:///{db}",
        BOT_CONTENT_DIR=str(CONTENT),
        PYTHONPATH=str(ROOT),
    )
    env.update(settings)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=db.parent,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


class BotProcess:
    """One webhook process; its output is collected line by line as it arrives."""

    def __init__(self, process: asyncio.subprocess.Process, port: int) -> None:
        self.process = process
        self.port = port
        self.lines: list[str] = []
        self._changed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            self.lines.append(raw.decode(errors="replace").rstrip())
            self._changed.set()
        self._changed.set()

    async def wait_line(self, pattern: str, timeout: float = 30) -> str:  # noqa: ASYNC109
        """Wait until an output line matches `pattern`; fail with the output if it never does."""
        regex = re.compile(pattern)

        async def scan() -> str:
            seen = 0
            while True:
                for line in self.lines[seen:]:
                    if regex.search(line):
                        return line
                seen = len(self.lines)
                if self.process.returncode is not None or self._reader.done():
                    raise AssertionError("process ended; output:\n" + "\n".join(self.lines))
                self._changed.clear()
                await self._changed.wait()

        try:
            return await asyncio.wait_for(scan(), timeout)
        except TimeoutError:
            output = "\n".join(self.lines)
            raise AssertionError(f"no line {pattern!r}; output:\n{output}") from None

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        await self._reader
