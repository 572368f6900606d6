"""Load the fitted Q&A answer gate (content/qa-gate.yaml), written by benchmarks/qa_gate.py."""

from __future__ import annotations

from pathlib import Path

from bot.content.source import ContentInvalid, Located, read_yaml
from bot.domain.gate import Gate

__all__ = ["GATE_FILE", "load_gate"]

GATE_FILE = "qa-gate.yaml"


def load_gate(path: Path) -> Gate | None:
    """The gate stored at ``path``; None when there is no such file (hand-set thresholds).

    Raises:
        ContentInvalid: when the file exists but is not a valid gate.
    """
    if not path.is_file():
        return None
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentInvalid([Located(path, 1, "the gate must be a mapping")])
    try:
        return Gate.from_dict(data)
    except ValueError as exc:
        raise ContentInvalid([Located(path, 1, str(exc))]) from None
