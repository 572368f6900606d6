"""The command line as operators use it: clear one-line errors, content check, offline chat."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.cli_runner import _one_clear_line, _run
from tests.conftest import CONTENT


def test_run_without_token_says_what_to_set(tmp_path: Path) -> None:
    line = _one_clear_line(_run(["run"], tmp_path))
    assert "BOT_TOKEN" in line and "chat" in line


def test_run_with_malformed_database_url(tmp_path: Path) -> None:
    line = _one_clear_line(
        _run(
            ["run"],
            tmp_path,
            BOT_TOKEN="1:SECRET-TOKEN-VALUE",
            BOT_DATABASE_URL="postgres:/broken::",
        )
    )
    assert line.startswith("error: BOT_DATABASE_URL:")
    assert "SECRET-TOKEN-VALUE" not in line


def test_run_with_broken_units_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    units = content / "units.yaml"
    units.write_text(units.read_text().replace("type: rsud", "type: hospital"))
    result = _run(["run"], tmp_path, BOT_TOKEN="1:SECRET", BOT_CONTENT_DIR=str(content))
    line = _one_clear_line(result)
    assert f"{units}:" in line and "unknown type 'hospital'" in line
    assert result.returncode == 3


def test_content_check_passes_and_reports_broken_copy(tmp_path: Path) -> None:
    ok = _run(["content", "check"], tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "content OK" in ok.stdout
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    units = content / "units.yaml"
    units.write_text(units.read_text().replace("code: dinsos", "code: dinkes"))
    bad = _run(["content", "check", "--dir", str(content)], tmp_path)
    assert bad.returncode == 3
    assert f"{units}:" in bad.stderr and "duplicate unit code 'dinkes'" in bad.stderr


def test_db_upgrade_reports_revision(tmp_path: Path) -> None:
    result = _run(["db", "upgrade"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("database at revision ")


def test_chat_completes_registration_by_typed_numbers(tmp_path: Path) -> None:
    # /start, press unit 2 (Dinas Kesehatan), press 1 (yes), then /start shows the registration.
    result = _run(
        ["chat", "--user-id", "4242", "--name", "Rina"], tmp_path, stdin="/start\n2\n1\n/start\n"
    )
    assert result.returncode == 0, result.stderr
    assert "Anda terdaftar di Dinas Kesehatan" in result.stdout
    assert "[1] Ganti unit" in result.stdout
    db = sqlite3.connect(tmp_path / "cli.sqlite3")
    row = db.execute(
        "select u.display_name, n.code from users u join units n on n.id = u.unit_id "
        "where u.telegram_id = 4242"
    ).fetchone()
    assert row == ("Rina", "dinkes")


@pytest.mark.parametrize("args", [["--help"], ["content", "--help"]])
def test_help_exits_cleanly(tmp_path: Path, args: list[str]) -> None:
    assert _run(args, tmp_path).returncode == 0


def test_chat_transcript_of_every_flow_has_no_traceback(tmp_path: Path) -> None:
    # Register (unit 2, yes), then each command; /batal after /cek, inside /kuis and with nothing.
    lines = ["/start", "2", "1", "/cek", "iya", "/batal", "/kuis", "1", "A", "/batal"]
    lines += ["/tenggat", "/bukti", "/batal"]
    result = _run(["chat", "--user-id", "4343"], tmp_path, stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    transcript = result.stdout + result.stderr
    assert "Traceback" not in transcript and "KeyError" not in transcript
    assert result.stdout.count("Dibatalkan.") == 2
    assert "Tidak ada proses yang perlu dibatalkan." in result.stdout
    assert "Tenggat bukti dukung" in result.stdout
    assert "Bukti dukung Dinas Kesehatan" in result.stdout
    assert "Kuis 1/5" in result.stdout
