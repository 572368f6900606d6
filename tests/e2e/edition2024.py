"""Settings fixtures pinned to the 2024 edition, a /cek run to the end, and the unit's
predicted score as the real `python -m bot export --format csv` process writes it.

Import the fixtures into a test module (`settings`, `api_settings`) to run it on 2024.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.handlers import callback_data as cd
from bot.handlers.selfcheck import Answer
from tests.conftest import CONTENT
from tests.e2e.harness import Harness

EDITION = "2024"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(settings_factory: Any) -> Any:
    return settings_factory(edition=EDITION)


@pytest.fixture
def api_settings(settings_factory: Any, bot_api: Any) -> Any:
    return settings_factory(
        token="123456:TEST-TOKEN",
        api_base_url=bot_api.base_url,
        api_file_url=bot_api.base_file_url,
        edition=EDITION,
    )


def export_score(database_url: str, tmp_path: Path, unit: str = "dinkes") -> str:
    """The unit's predicted score as `python -m bot export --format csv` writes it."""
    out = tmp_path / f"rekap-{len(list(tmp_path.glob('rekap-*')))}.csv"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_CONTENT_DIR=str(CONTENT),
        BOT_DATABASE_URL=database_url,
        BOT_EDITION=EDITION,
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "bot", "export", "--format", "csv", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {line[0]: line for line in csv.reader(handle)}
    return rows[unit][3]


async def answer_all(harness: Harness, user: int, pick: Any) -> None:
    """/cek <edition> and answer every question with `pick(answer buttons)`."""
    await harness.send(user, f"/cek {EDITION}")
    for _ in range(60):
        payloads = [cd.decode(data) for _, data in harness.buttons(user)]
        answers = [p for p in payloads if isinstance(p, Answer)]
        if not answers or "Hasil cek mandiri" in harness.last_text(user):
            break
        await harness.press(user, cd.encode(pick(answers)))
    assert "Hasil cek mandiri" in "".join(harness.texts(user)[-3:])
