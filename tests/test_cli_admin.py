"""Operator commands: users list/promote/demote/deactivate/forget and backup (restored and read).

The users commands run in-process (`bot.cli.main`) to keep the suite quick; the backup runs as
a real subprocess, the way operators call it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from tests.builders import person
from tests.cli_runner import _one_clear_line, _run


def _register(tmp_path: Path, telegram_id: int, name: str) -> None:
    """A user registered to Dinas Kesehatan, made through the services."""
    from bot.app import build_services
    from bot.config import load_settings

    async def work() -> None:
        services = await build_services(load_settings())
        try:
            await person(services, telegram_id, "dinkes", name=name)
        finally:
            await services.engine.dispose()

    asyncio.run(work())


def _db(tmp_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(tmp_path / "cli.sqlite3")


def test_users_promote_demote_deactivate_forget(tmp_path: Path, cli: Any) -> None:
    _register(tmp_path, 4242, "Rina")
    code, out, err = cli("users", "list")
    assert code == 0, err
    assert "4242" in out and "member" in out and "Rina" in out and "Dinas Kesehatan" in out

    code, out, err = cli("users", "promote", "4242", "--unit", "dinsos")
    assert code == 0, err
    assert "coordinator" in out and "Dinas Sosial" in out
    row = (
        _db(tmp_path)
        .execute(
            "select u.role, n.code from users u join units n on "
            "n.id = u.unit_id where telegram_id = 4242"
        )
        .fetchone()
    )
    assert row == ("coordinator", "dinsos")

    assert cli("users", "demote", "4242")[0] == 0
    assert cli("users", "deactivate", "4242")[0] == 0
    role, active = (
        _db(tmp_path).execute("select role, active from users where telegram_id = 4242").fetchone()
    )
    assert (role, active) == ("member", 0)

    code, out, err = cli("users", "forget", "4242")
    assert code == 0, err
    db = _db(tmp_path)
    assert db.execute("select count(*) from users where telegram_id = 4242").fetchone() == (0,)
    assert db.execute("select display_name, chat_id from users").fetchone() == ("", None)
    actions = [
        r[0]
        for r in db.execute(
            "select action from audit_log where outcome = 'ok' and detail like '%cli%' order by id"
        )
    ]
    assert actions == ["users.promote", "users.demote", "users.deactivate", "users.forget"]


def test_users_errors_are_one_clear_line(tmp_path: Path, cli: Any) -> None:
    code, out, err = cli("users", "demote", "77")
    assert code == 1 and err.strip() == "error: no user with Telegram id 77"
    _register(tmp_path, 900, "Admin")
    code, out, err = cli("users", "demote", "900")
    assert code == 1 and "BOT_ADMIN_IDS" in err and len(err.strip().splitlines()) == 1
    _register(tmp_path, 4545, "Ina")
    code, out, err = cli("users", "promote", "4545", "--unit", "nope")
    assert code == 1 and err.strip() == "error: no unit nope"


def test_sqlite_backup_restores_with_the_data(tmp_path: Path, cli: Any) -> None:
    _register(tmp_path, 4343, "Wati")
    out = tmp_path / "backups" / "bot.sqlite3"
    result = _run(["backup", "--out", str(out)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 users" in result.stdout
    restored = sqlite3.connect(out)
    assert restored.execute("pragma journal_mode").fetchone() == ("delete",)
    assert restored.execute(
        "select display_name from users where telegram_id = 4343"
    ).fetchone() == ("Wati",)
    assert "exists" in _one_clear_line(_run(["backup", "--out", str(out)], tmp_path))
    assert _run(["backup", "--out", str(out), "--force"], tmp_path).returncode == 0


def test_postgres_backup_prints_pg_dump_without_password(tmp_path: Path) -> None:
    result = _run(
        ["backup", "--out", "db.dump"],
        tmp_path,
        BOT_DATABASE_URL="postgresql://ops:s3cret@db.internal:5433/pendamping",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "pg_dump --format=custom --no-owner --file=db.dump "
        "--host=db.internal --port=5433 --username=ops "
        "--dbname=pendamping"
    )
    assert "s3cret" not in result.stdout + result.stderr
