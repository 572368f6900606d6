"""`python -m bot run` as a real process, long polling the fake Bot API; restarts keep state."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.builders import person
from tests.conftest import POSTGRES_URL
from tests.e2e.conftest import TOKEN
from tests.e2e.processes import bot_process
from tests.factories import callback_update, message_update, photo_update
from tests.fakes.bot_api import Call, FakeBotAPI

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(POSTGRES_URL), reason="process test runs on SQLite only"),
]
USER = 8123


async def _stop(process: asyncio.subprocess.Process) -> str:
    """SIGTERM must stop the bot cleanly within 5 seconds."""
    process.send_signal(signal.SIGTERM)
    output, _ = await asyncio.wait_for(process.communicate(), timeout=5)
    assert process.returncode == 0, output.decode()
    return output.decode()


def _buttons(call: object) -> dict[str, str]:
    markup = call.params.get("reply_markup") or {}  # type: ignore[attr-defined]
    return {
        b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row
    }


async def test_polling_registration_survives_restart(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    async with FakeBotAPI(token=TOKEN) as api:
        async with bot_process(api, db) as process:
            await api.wait_for("getUpdates", timeout=30)
            api.push_update(message_update(USER, "/start"))
            keyboard = (await api.wait_for("sendMessage", count=2, timeout=10))[1]
            assert "Bagian Organisasi Setda" in _buttons(keyboard)
            pick = _buttons(keyboard)["Dinas Kesehatan"]
            api.push_update(callback_update(USER, pick, message_id=keyboard.result["message_id"]))
            edit = (await api.wait_for("editMessageText", timeout=10))[0]
            assert "Dinas Kesehatan" in edit.params["text"]
            confirm = _buttons(edit)["✅ Ya, benar"]
            # Restart in the middle of registration: the step is in the database.
            output = await _stop(process)
            assert TOKEN not in output and TOKEN.split(":")[1] not in output

        async with bot_process(api, db) as process:
            polls = len(api.calls_to("getUpdates"))
            await api.wait_for("getUpdates", count=polls + 1, timeout=30)
            api.push_update(callback_update(USER, confirm, message_id=edit.params["message_id"]))
            done = (await api.wait_for("editMessageText", count=2, timeout=10))[1]
            assert "Anda terdaftar di <b>Dinas Kesehatan</b>" in done.params["text"]
            await _stop(process)

        row = (
            sqlite3.connect(db)
            .execute(
                "select n.code from users u join units n on n.id = u.unit_id "
                "where telegram_id = ?",
                (USER,),
            )
            .fetchone()
        )
        assert row == ("dinkes",)

        async with bot_process(api, db) as process:
            polls = len(api.calls_to("getUpdates"))
            await api.wait_for("getUpdates", count=polls + 1, timeout=30)
            sent = len(api.calls_to("sendMessage"))
            api.push_update(message_update(USER, "/start"))
            again = (await api.wait_for("sendMessage", count=sent + 1, timeout=10))[sent]
            assert "Anda terdaftar di <b>Dinas Kesehatan</b>" in again.params["text"]
            await _stop(process)


async def test_kill_9_mid_self_check_resumes_at_the_next_indicator(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    user = USER + 1

    async def reply(api: FakeBotAPI, method: str, before: int) -> object:
        return (await api.wait_for(method, count=before + 1, timeout=15))[before]

    async with FakeBotAPI(token=TOKEN) as api:
        async with bot_process(api, db) as process:
            await api.wait_for("getUpdates", timeout=30)
            api.push_update(message_update(user, "/start"))
            keyboard = (await api.wait_for("sendMessage", count=2, timeout=15))[1]
            api.push_update(
                callback_update(
                    user,
                    _buttons(keyboard)["Dinas Sosial dan Pemberdayaan Masyarakat"],
                    message_id=keyboard.result["message_id"],
                )
            )
            edit = await reply(api, "editMessageText", 0)
            api.push_update(
                callback_update(
                    user, _buttons(edit)["✅ Ya, benar"], message_id=edit.params["message_id"]
                )
            )
            await reply(api, "editMessageText", 1)
            sent = len(api.calls_to("sendMessage"))
            api.push_update(message_update(user, "/cek"))
            editions = await reply(api, "sendMessage", sent)
            api.push_update(
                callback_update(
                    user,
                    _buttons(editions)["Edisi 2024"],
                    message_id=editions.result["message_id"],
                )
            )
            question = await reply(api, "editMessageText", 2)
            for step in range(2):  # answer two indicators, then the process dies
                assert f"Pertanyaan {step + 1}/38" in question.params["text"]
                best = list(_buttons(question).values())[0]
                api.push_update(
                    callback_update(user, best, message_id=question.params["message_id"])
                )
                question = await reply(api, "editMessageText", 3 + step)
            assert "Pertanyaan 3/38" in question.params["text"]
            process.kill()  # SIGKILL: no clean shutdown
            await process.wait()

        async with bot_process(api, db) as process:
            polls = len(api.calls_to("getUpdates"))
            await api.wait_for("getUpdates", count=polls + 1, timeout=30)
            sent = len(api.calls_to("sendMessage"))
            api.push_update(message_update(user, "/cek"))
            resumed = await reply(api, "sendMessage", sent)
            assert "Pertanyaan 3/38" in resumed.params["text"]  # type: ignore[attr-defined]
            await _stop(process)

    rows = sqlite3.connect(db).execute("select count(*) from selfcheck_answers").fetchone()
    assert rows == (2,)


async def _press(api: FakeBotAPI, user: int, call: Any, label: str) -> None:
    data = next(d for text, d in _buttons(call).items() if label in text)
    message_id = call.params.get("message_id") or call.result["message_id"]
    api.push_update(callback_update(user, data, message_id=message_id))


async def test_update_redelivered_after_a_kill_mid_handler_is_answered_once(
    tmp_path: Path, settings_factory: Any
) -> None:
    """Killed while a photo's handler waits for getFile (claimed, nothing committed): after
    the restart Telegram delivers the update again and it is handled - once."""
    from bot.app import build_services

    user, jpeg = 8124, b"\xff\xd8\xff\xe0" + b"1" * 5000
    db = tmp_path / "bot.sqlite3"
    url = f"sqlite+aiosqlite:///{db}"
    prepared = await build_services(settings_factory(database_url=url, edition="2024"))
    try:
        await person(prepared, user, "dinkes")
    finally:
        await prepared.engine.dispose()

    def stored() -> list[Call]:
        return [c for c in api.messages_to(user) if "Tersimpan" in str(c.params.get("text"))]

    async with FakeBotAPI(token=TOKEN) as api:
        async with bot_process(api, db, BOT_EDITION="2024") as process:
            api.push_update(message_update(user, "/bukti"))
            listing = (await api.wait_for("sendMessage", timeout=30))[0]
            await _press(api, user, listing, "Tambah bukti")
            dimensions = (await api.wait_for("editMessageText", timeout=10))[0]
            await _press(api, user, dimensions, "Proses")
            indicators = (await api.wait_for("editMessageText", count=2, timeout=10))[1]
            await _press(api, user, indicators, "Maklumat pelayanan")
            asked = (await api.wait_for("editMessageText", count=3, timeout=10))[2]
            assert "Kirim bukti untuk" in asked.params["text"]
            api.add_file("photo-1", jpeg)
            api.delay("getFile", 30)  # the handler waits for the file: nothing committed yet
            photo = api.push_update(photo_update(user, file_id="photo-1", file_size=len(jpeg)))
            await api.wait_for("getFile", timeout=10)
            process.kill()  # SIGKILL between the update's arrival and its handler's commit
            await process.wait()
        assert stored() == []
        api.delay("getFile", None)

        async with bot_process(api, db, BOT_EDITION="2024") as process:
            api.push_update(photo)  # Telegram delivers the unconfirmed update again
            assert await api.wait_until(lambda: len(stored()) == 1, timeout=30)
            seen = len(api.messages_to(user))
            api.push_update(message_update(user, "/bukti"))  # a later update: all handled
            assert await api.wait_until(lambda: len(api.messages_to(user)) > seen, timeout=10)
            await _stop(process)

    assert len(stored()) == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from evidence").fetchone() == (1,)
        assert conn.execute(
            "select worker from processed_updates where update_id = ?", (photo["update_id"],)
        ).fetchall() == [(None,)]
