"""Two real `python -m bot run --webhook` processes on one database, as behind a reverse proxy.

Runs on SQLite, and on PostgreSQL in the BOT_TEST_POSTGRES_URL run. Both processes start
together on a fresh database (start-up must not race), then serve one user's updates
alternately: registration and a self-check lose and repeat no step, and one update id posted to
both processes is processed once. (A restart in the middle of /cek is covered in-process by
tests/e2e/test_selfcheck.py::test_restart_mid_session_resumes_at_next_unanswered; one in the
middle of registration by tests/e2e/test_polling_process.py.)
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.db.models import ProcessedUpdateRow, SelfCheckAnswerRow, SelfCheckSessionRow
from bot.db.session import create_engine
from bot.handlers import callback_data as cd
from bot.handlers.selfcheck import Answer
from bot.webhook import SECRET_HEADER
from tests.conftest import CONTENT, ROOT
from tests.e2e.conftest import TOKEN
from tests.e2e.processes import BotProcess
from tests.factories import callback_update, message_update
from tests.fakes.bot_api import Call, FakeBotAPI

pytestmark = pytest.mark.slow
SECRET = "multi_Process-Secret"
USER = 8301
READY = "webhook: listening on"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Proxy:
    """Posts updates to one process or the other, as a round-robin reverse proxy would."""

    def __init__(
        self, api: FakeBotAPI, processes: list[BotProcess], client: aiohttp.ClientSession
    ) -> None:
        self.api = api
        self.processes = processes
        self.client = client
        self.next_id = 1000

    async def post(self, index: int, update: dict[str, Any]) -> int:
        if "update_id" not in update:
            self.next_id += 1
            update = {"update_id": self.next_id, **update}
        url = f"http://127.0.0.1:{self.processes[index].port}/telegram"
        async with self.client.post(url, json=update, headers={SECRET_HEADER: SECRET}) as reply:
            assert reply.status == 200
        return int(update["update_id"])

    def to_user(self) -> list[Call]:
        return [
            c
            for c in self.api.calls
            if str(c.params.get("chat_id")) == str(USER)
            and c.method in {"sendMessage", "editMessageText"}
        ]

    async def reply_after(self, seen: int, count: int = 1) -> Call:
        """Wait for the `count`-th message (sent or edited) to the user after the first `seen`."""
        assert await self.api.wait_until(
            lambda: len(self.to_user()) >= seen + count, timeout=20
        ), [c.method for c in self.api.calls]
        return self.to_user()[seen + count - 1]

    def keyboard(self) -> tuple[int, list[tuple[str, str]]]:
        """(message id, [(label, data)]) of the latest keyboard the user got."""
        for call in reversed(self.to_user()):
            markup = call.params.get("reply_markup") or {}
            if "inline_keyboard" in markup:
                message_id = call.params.get("message_id") or call.result["message_id"]
                return int(message_id), [
                    (b["text"], b["callback_data"])
                    for row in markup["inline_keyboard"]
                    for b in row
                ]
        raise AssertionError("no keyboard sent")

    def press_update(
        self, label: str | None = None, data: str | None = None, update_id: int | None = None
    ) -> dict[str, Any]:
        message_id, buttons = self.keyboard()
        if data is None:
            data = next(d for text, d in buttons if label is not None and label in text)
        return callback_update(USER, data, message_id=message_id, update_id=update_id)

    async def say(self, index: int, text: str, replies: int = 1) -> Call:
        seen = len(self.to_user())
        await self.post(index, message_update(USER, text))
        return await self.reply_after(seen, replies)

    async def press(self, index: int, label: str | None = None, data: str | None = None) -> Call:
        seen = len(self.to_user())
        await self.post(index, self.press_update(label, data))
        return await self.reply_after(seen)


@pytest.fixture
async def proxy(database_url: str, tmp_path: Path) -> AsyncIterator[Proxy]:
    """Two webhook processes started at the same moment on one fresh database."""
    async with FakeBotAPI(token=TOKEN) as api, aiohttp.ClientSession() as client:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        env.update(
            BOT_TOKEN=TOKEN,
            BOT_API_BASE_URL=api.base_url,
            BOT_API_FILE_URL=api.base_file_url,
            BOT_DATABASE_URL=database_url,
            BOT_CONTENT_DIR=str(CONTENT),
            BOT_STORAGE_DIR=str(tmp_path / "files"),
            BOT_WEBHOOK_URL="https://bot.example.invalid/telegram",
            BOT_WEBHOOK_SECRET=SECRET,
            BOT_WEBHOOK_LISTEN="127.0.0.1",
            PYTHONPATH=str(ROOT),
        )
        processes: list[BotProcess] = []
        try:
            for _ in range(2):
                port = _free_port()
                child = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bot",
                    "run",
                    "--webhook",
                    env={**env, "BOT_WEBHOOK_PORT": str(port)},
                    cwd=tmp_path,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.STDOUT,
                )
                processes.append(BotProcess(child, port))
            for process in processes:
                await process.wait_line(READY, timeout=40)
            yield Proxy(api, processes, client)
        finally:
            for process in processes:
                await process.stop()
        assert api.unknown_calls == []
        for process in processes:
            output = "\n".join(process.lines)
            assert "Traceback" not in output, output
            assert TOKEN not in output


async def _rows(database_url: str) -> tuple[list[int], list[Any]]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            values = (
                await conn.scalars(
                    select(SelfCheckAnswerRow.value).order_by(SelfCheckAnswerRow.id)
                )
            ).all()
            sessions = (
                await conn.execute(select(SelfCheckSessionRow.step, SelfCheckSessionRow.status))
            ).all()
        return list(values), list(sessions)
    finally:
        await engine.dispose()


async def test_two_processes_serve_one_user_alternately(proxy: Proxy, database_url: str) -> None:
    # Registration: /start on process 0, pick on 1, confirm on 0.
    units = await proxy.say(0, "/start", replies=2)
    assert "Dinas Kesehatan" in str(units.params["reply_markup"])
    confirm = await proxy.press(1, "Dinas Kesehatan")
    assert "Dinas Kesehatan" in confirm.params["text"]
    done = await proxy.press(0, "Ya, benar")
    assert "Anda terdaftar di <b>Dinas Kesehatan</b>" in done.params["text"]

    # The self-check, every step on the other process than the one before.
    picker = await proxy.say(1, "/cek")
    assert "Edisi penilaian mana?" in picker.params["text"]
    question = await proxy.press(0, "Edisi 2024")
    assert "Pertanyaan 1/38" in question.params["text"]
    chosen = []
    for position in range(1, 7):
        _, buttons = proxy.keyboard()
        answers = [cd.decode(data) for _, data in buttons if isinstance(cd.decode(data), Answer)]
        pick = answers[position % len(answers)]
        chosen.append(pick.value)
        question = await proxy.press(position % 2, data=cd.encode(pick))
        assert f"Pertanyaan {position + 1}/38" in question.params["text"], question.params

    alerts = [c for c in proxy.api.calls_to("answerCallbackQuery") if c.get("show_alert")]
    assert alerts == []
    values, sessions = await _rows(database_url)
    assert values == chosen  # every answer recorded once, in order
    assert sessions == [(7, "open")]  # the edition pick plus six answers, no step twice
    # Both processes did part of the work.
    for process in proxy.processes:
        assert any("handler=selfcheck.act" in line for line in process.lines)


async def test_repeated_update_id_to_both_processes_is_processed_once(
    proxy: Proxy, database_url: str
) -> None:
    await proxy.say(0, "/start", replies=2)
    await proxy.press(1, "Dinas Kesehatan")
    await proxy.press(0, "Ya, benar")
    await proxy.say(1, "/cek")
    await proxy.press(0, "Edisi 2024")

    # Telegram retries an update (our 200 got lost) and the proxy sends it to the other process.
    _, buttons = proxy.keyboard()
    data = next(d for _, d in buttons if isinstance(cd.decode(d), Answer))
    update = proxy.press_update(data=data, update_id=5555)
    seen = len(proxy.to_user())
    await asyncio.gather(proxy.post(0, update), proxy.post(1, update))
    for process in proxy.processes:  # each logs its one line for the update, whatever it did
        await process.wait_line(r"update 5555 user=")
    reply = await proxy.reply_after(seen)
    assert "Pertanyaan 2/38" in reply.params["text"]
    assert len(proxy.to_user()) == seen + 1
    dropped = [
        p
        for p in proxy.processes
        if any("dropping repeated update 5555" in line for line in p.lines)
    ]
    assert len(dropped) == 1
    answered = [
        c
        for c in proxy.api.calls_to("answerCallbackQuery")
        if c["callback_query_id"] == update["callback_query"]["id"]
    ]
    assert len(answered) == 1

    values, sessions = await _rows(database_url)
    assert len(values) == 1 and sessions == [(2, "open")]
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            claimed = (
                await conn.scalars(
                    select(ProcessedUpdateRow.update_id).where(
                        ProcessedUpdateRow.update_id == 5555
                    )
                )
            ).all()
    finally:
        await engine.dispose()
    assert claimed == [5555]


async def test_processes_starting_together_on_a_fresh_database_take_turns(
    settings: Any, shipped_content: Any
) -> None:
    from bot.app import build_services

    # Three "processes" (each its own engine) migrate and sync units at the same moment.
    started = await asyncio.gather(
        *(build_services(settings, content=shipped_content) for _ in range(3)),
        return_exceptions=True,
    )
    try:
        assert [s for s in started if isinstance(s, BaseException)] == []
        units = [len(await s.units.list_units()) for s in started]  # type: ignore[union-attr]
        assert units == [len(shipped_content.units.units)] * 3
    finally:
        for built in started:
            if not isinstance(built, BaseException):
                await built.engine.dispose()


async def test_double_confirm_on_two_processes_registers_once(
    harness: Any, api_settings: Any, clock: Any, services: Any
) -> None:
    """Two presses of "Ya, benar" reach two processes at once (two Applications, each with
    its own services and engine, on one database): one registers, the other is expired."""
    from sqlalchemy import func

    from bot.app import build_application, build_services
    from bot.db.models import AuditRow
    from tests.factories import as_update

    user = 8302
    await harness.send(user, "/start")
    await harness.press_label(user, "Dinas Kesehatan")
    message_id, data = harness.find_button(user, "Ya, benar")

    services2 = await build_services(api_settings, clock=clock)
    try:
        app2 = build_application(api_settings, services2)
        async with app2:
            presses = [
                callback_update(user, data, message_id=message_id, update_id=9100 + i)
                for i in range(2)
            ]
            app1 = harness.app
            await asyncio.gather(
                app1.process_update(as_update(presses[0], app1.bot)),
                app2.process_update(as_update(presses[1], app2.bot)),
            )
    finally:
        await services2.engine.dispose()

    answers = [
        c
        for c in harness.answers()
        if c["callback_query_id"] in {p["callback_query"]["id"] for p in presses}
    ]
    texts = sorted(str(c.get("text")) for c in answers)
    expired = "Tombol ini sudah tidak berlaku. Ketik /start untuk mulai lagi."
    assert texts == ["Terdaftar.", expired]
    async with services.sessions() as session:
        registrations = await session.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == "unit.register")
        )
    assert registrations == 1


async def test_polling_process_answers_its_first_updates_on_the_test_database(
    database_url: str, tmp_path: Path
) -> None:
    """`python -m bot run` migrates in one event loop and polls in another: on PostgreSQL the
    first updates used to fail on connections of the first loop."""
    async with FakeBotAPI(token=TOKEN) as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        env.update(
            BOT_TOKEN=TOKEN,
            BOT_API_BASE_URL=api.base_url,
            BOT_API_FILE_URL=api.base_file_url,
            BOT_DATABASE_URL=database_url,
            BOT_CONTENT_DIR=str(CONTENT),
            BOT_STORAGE_DIR=str(tmp_path / "files"),
            PYTHONPATH=str(ROOT),
        )
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        process = BotProcess(child, 0)
        try:
            await process.wait_line("starting long polling", timeout=40)
            for i, user in enumerate((8401, 8402, 8403)):
                api.push_update(message_update(user, "/start", update_id=1 + i))
            assert await api.wait_until(
                lambda: all(len(api.messages_to(u)) >= 2 for u in (8401, 8402, 8403)), timeout=20
            ), [c.get("text") for c in api.calls_to("sendMessage")]
            for user in (8401, 8402, 8403):
                assert "Dinas Kesehatan" in str(api.messages_to(user)[1].params["reply_markup"])
        finally:
            await process.stop()
        output = "\n".join(process.lines)
        assert child.returncode == 0, output
        assert "Traceback" not in output and " ERROR " not in output, output
