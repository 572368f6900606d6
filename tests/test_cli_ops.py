"""Operator commands: `run --webhook` configuration errors, the webhook process, `stats`."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.cli_runner import _one_clear_line, _run
from tests.conftest import CONTENT, POSTGRES_URL, ROOT
from tests.e2e.conftest import TOKEN
from tests.factories import message_update
from tests.fakes.bot_api import FakeBotAPI

SECRET = "proc_SECRET-value-42"


def test_webhook_without_url_says_what_to_set(tmp_path: Path) -> None:
    line = _one_clear_line(
        _run(["run", "--webhook"], tmp_path, BOT_TOKEN=TOKEN, BOT_WEBHOOK_SECRET=SECRET)
    )
    assert line.startswith("error: BOT_WEBHOOK_URL is not set")
    assert SECRET not in line and TOKEN not in line


def test_webhook_without_secret_says_what_to_set(tmp_path: Path) -> None:
    line = _one_clear_line(
        _run(
            ["run", "--webhook"],
            tmp_path,
            BOT_TOKEN=TOKEN,
            BOT_WEBHOOK_URL="https://bot.example.invalid/telegram",
        )
    )
    assert line.startswith("error: BOT_WEBHOOK_SECRET is not set")


@pytest.mark.parametrize("secret", ["has space", "titik.dua", "x" * 257, "ümlaut"])
def test_webhook_with_bad_secret_names_the_rule_not_the_value(tmp_path: Path, secret: str) -> None:
    result = _run(
        ["run", "--webhook"],
        tmp_path,
        BOT_TOKEN=TOKEN,
        BOT_WEBHOOK_SECRET=secret,
        BOT_WEBHOOK_URL="https://bot.example.invalid/telegram",
    )
    line = _one_clear_line(result)
    assert line == (
        "error: BOT_WEBHOOK_SECRET: may only contain A-Z a-z 0-9 _ - (1 to 256 characters)"
    )
    assert result.returncode == 2


def test_webhook_url_must_be_https(tmp_path: Path) -> None:
    line = _one_clear_line(
        _run(
            ["run"],
            tmp_path,
            BOT_TOKEN=TOKEN,
            BOT_WEBHOOK_SECRET=SECRET,
            BOT_WEBHOOK_URL="http://bot.example.invalid/telegram",
        )
    )
    assert line.startswith("error: BOT_WEBHOOK_URL: must be the public https:// address")


# --- stats -----------------------------------------------------------------------------------


def test_stats_on_a_missing_database_is_one_line(tmp_path: Path) -> None:
    line = _one_clear_line(_run(["stats"], tmp_path))
    assert "does not exist" in line and "db upgrade" in line


def test_stats_counts_users_units_and_feature_tables(tmp_path: Path) -> None:
    assert _run(["db", "upgrade"], tmp_path).returncode == 0
    db = sqlite3.connect(tmp_path / "cli.sqlite3")
    with db:
        db.execute(
            "insert into governments (code, name, timezone) values ('g', 'G', 'Asia/Jakarta')"
        )
        db.execute(
            "insert into units (code, name, type, government_id, archived) "
            "values ('u1', 'U1', 'rsud', 1, 0), ('u2', 'U2', 'rsud', 1, 1)"
        )
        db.executemany(
            "insert into users (telegram_id, display_name, unit_id, role, active, blocked, "
            "reminder_hour, quiet_weekends, muted, created_at, updated_at) "
            "values (?, 'x', ?, 'member', ?, 0, 8, 0, 0, '2025-01-01', '2025-01-01')",
            [(1, 1, 1), (2, None, 1), (3, 1, 0)],
        )
    db.close()
    result = _run(["stats"], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "users: 3 total, 2 active, 2 registered, 0 seen in 30 days"
    assert lines[1] == "units: 2 (1 archived)"
    assert "self-check answers (selfcheck_answers): 0" in lines
    assert "quiz answers (quiz_answers): 0" in lines
    assert (
        "outbox (reminder_outbox): 0 [pending 0, claimed 0, sending 0, sent 0, unknown 0, "
        "failed 0, blocked 0, skipped 0]"
    ) in lines  # every status, zeros too, in lifecycle order
    assert "questions without answers (qa_gaps): 0" in lines


# --- the webhook process ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.skipif(bool(POSTGRES_URL), reason="process test runs on SQLite only")
async def test_webhook_process_serves_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    async with FakeBotAPI(token=TOKEN) as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        env.update(
            BOT_TOKEN=TOKEN,
            BOT_API_BASE_URL=api.base_url,
            BOT_API_FILE_URL=api.base_file_url,
            BOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
            BOT_CONTENT_DIR=str(CONTENT),
            PYTHONPATH=str(ROOT),
            BOT_LOG_JSON="true",
            BOT_WEBHOOK_URL="https://bot.example.invalid/hook/telegram",
            BOT_WEBHOOK_SECRET=SECRET,
            BOT_WEBHOOK_PORT=str(port),
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--webhook",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output = b""
        try:
            assert process.stdout is not None
            while b"webhook: listening" not in output:
                line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
                assert line, output.decode()
                output += line
            base = f"http://127.0.0.1:{port}"
            async with aiohttp.ClientSession() as client:
                async with client.post(
                    f"{base}/hook/telegram",
                    json=message_update(4242, "/bantuan", update_id=1),
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                ) as r:
                    assert r.status == 200
                assert await api.wait_until(lambda: len(api.messages_to(4242)) == 1, timeout=10)
                async with client.get(f"{base}/healthz") as r:
                    assert r.status == 200 and (await r.json())["ok"] is True
            process.send_signal(signal.SIGTERM)
            rest, _ = await asyncio.wait_for(process.communicate(), timeout=5)
            output += rest
            assert process.returncode == 0, output.decode()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    text = output.decode()
    assert TOKEN not in text and TOKEN.split(":")[1] not in text and SECRET not in text
    assert '"logger": "bot.updates"' in text and '"handler": "help.show_help"' in text
    assert api.last("setWebhook")["secret_token"] == SECRET
