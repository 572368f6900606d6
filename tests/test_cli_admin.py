"""Operator commands: users list/promote/demote/deactivate/forget and backup (restored and read)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.test_cli import _one_clear_line, _run


def _register(tmp_path: Path, user_id: int, name: str) -> None:
    # /start, press unit 2 (Dinas Kesehatan), press 1 (yes) in the offline chat.
    result = _run(["chat", "--user-id", str(user_id), "--name", name], tmp_path,
                  stdin="/start\n2\n1\n")
    assert result.returncode == 0, result.stderr


def _db(tmp_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(tmp_path / "cli.sqlite3")


def test_users_promote_demote_deactivate_forget(tmp_path: Path) -> None:
    _register(tmp_path, 4242, "Rina")
    listed = _run(["users", "list"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "4242" in listed.stdout and "member" in listed.stdout and "Rina" in listed.stdout

    promoted = _run(["users", "promote", "4242", "--unit", "dinsos"], tmp_path)
    assert promoted.returncode == 0, promoted.stderr
    assert "coordinator" in promoted.stdout and "Dinas Sosial" in promoted.stdout
    row = _db(tmp_path).execute("select u.role, n.code from users u join units n on "
                                "n.id = u.unit_id where telegram_id = 4242").fetchone()
    assert row == ("coordinator", "dinsos")

    assert _run(["users", "demote", "4242"], tmp_path).returncode == 0
    assert _run(["users", "deactivate", "4242"], tmp_path).returncode == 0
    role, active = _db(tmp_path).execute(
        "select role, active from users where telegram_id = 4242").fetchone()
    assert (role, active) == ("member", 0)

    forgot = _run(["users", "forget", "4242"], tmp_path)
    assert forgot.returncode == 0, forgot.stderr
    db = _db(tmp_path)
    assert db.execute("select count(*) from users where telegram_id = 4242").fetchone() == (0,)
    assert db.execute("select display_name, chat_id from users").fetchone() == ("", None)
    actions = [r[0] for r in db.execute("select action from audit_log where outcome = 'ok' "
                                        "and detail like '%cli%' order by id")]
    assert actions == ["users.promote", "users.demote", "users.deactivate", "users.forget"]


def test_users_errors_are_one_clear_line(tmp_path: Path) -> None:
    assert "no user with Telegram id 77" in _one_clear_line(_run(["users", "demote", "77"],
                                                                 tmp_path))
    result = _run(["users", "demote", "900"], tmp_path, BOT_ADMIN_IDS="900")
    assert "no user" in _one_clear_line(result)
    _register(tmp_path, 900, "Admin")
    line = _one_clear_line(_run(["users", "demote", "900"], tmp_path, BOT_ADMIN_IDS="900"))
    assert "BOT_ADMIN_IDS" in line
    line = _one_clear_line(_run(["users", "promote", "900", "--unit", "nope"], tmp_path))
    assert "no unit nope" in line


def test_sqlite_backup_restores_with_the_data(tmp_path: Path) -> None:
    _register(tmp_path, 4343, "Wati")
    out = tmp_path / "backups" / "bot.sqlite3"
    result = _run(["backup", "--out", str(out)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 users" in result.stdout
    restored = sqlite3.connect(out)
    assert restored.execute("pragma journal_mode").fetchone() == ("delete",)
    assert restored.execute("select display_name from users where telegram_id = 4343"
                            ).fetchone() == ("Wati",)
    assert "exists" in _one_clear_line(_run(["backup", "--out", str(out)], tmp_path))
    assert _run(["backup", "--out", str(out), "--force"], tmp_path).returncode == 0


def test_postgres_backup_prints_pg_dump_without_password(tmp_path: Path) -> None:
    result = _run(["backup", "--out", "db.dump"], tmp_path,
                  BOT_DATABASE_URL="postgresql://ops:s3cret@db.internal:5433/pendamping")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("pg_dump --format=custom --no-owner --file=db.dump "
                                     "--host=db.internal --port=5433 --username=ops "
                                     "--dbname=pendamping")
    assert "s3cret" not in result.stdout + result.stderr
