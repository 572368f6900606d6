"""`python -m bot export`: the /rekap data as xlsx and csv, no token needed."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from tests.builders import complete_selfcheck, person


def _seed() -> tuple[str, str]:
    """dinkes answers every indicator with the best option; return its score as text and the
    edition answered."""
    from bot.app import build_services
    from bot.config import load_settings

    async def work() -> tuple[str, str]:
        services = await build_services(load_settings())
        try:
            member = await person(services, 4343, "dinkes", name="Rina")
            result = await complete_selfcheck(services, member, lambda i: i.best.value)
            return str(result.result.score), str(result.edition)
        finally:
            await services.engine.dispose()

    return asyncio.run(work())


def test_export_xlsx_and_csv(
    tmp_path: Path,
    cli: Any,  # noqa: F811
    monkeypatch: Any,
) -> None:
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    score, edition = _seed()
    xlsx = tmp_path / "rekap.xlsx"
    code, out, err = cli("export", "--format", "xlsx", "--edition", edition, "--out", str(xlsx))
    assert code == 0, err
    assert "wrote" in out and f"edition {edition}" in out
    book = load_workbook(xlsx)
    rows = {r[0]: r for r in book["Ringkasan"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows["dinkes"][3] == float(score) and rows["dinsos"][3] is None
    assert "Tenggat" in book.sheetnames and "Dinas Kesehatan" in book.sheetnames
    code, _, err = cli("export", "--format", "pdf", "--edition", "1999", "--out", str(xlsx) + "x")
    assert code != 0 and "unknown edition" in err

    table = tmp_path / "rekap.csv"
    code, out, err = cli("export", "--format", "csv", "--edition", edition, "--out", str(table))
    assert code == 0, err
    with table.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0][:4] == ["Kode", "Unit layanan", "Jenis", "Skor prediksi"]
    by_code = {line[0]: line for line in lines[1:]}
    assert float(by_code["dinkes"][3]) == float(score) and by_code["dinsos"][3] == ""
    assert set(by_code) == {code for code, row in rows.items() if row[-1] is not None}
    # An existing file is not overwritten without --force.
    code, _, err = cli("export", "--format", "csv", "--out", str(table))
    assert code != 0 and "--force" in err
