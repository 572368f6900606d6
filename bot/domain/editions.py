"""Which methodology edition is "in force" (domain layer, pure).

The edition in force is the newest edition that has self-check indicators: older editions stay
readable, and editions without questions (only weights or categories known) cannot be scored.
/rekap and `python -m bot export` default to it; other features may share it.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.methodology import Methodology


def scorable_editions(methodologies: Mapping[str, Methodology]) -> list[str]:
    """Editions that have self-check indicators, newest first."""
    return sorted((e for e, m in methodologies.items() if m.indicators), reverse=True)


def edition_in_force(methodologies: Mapping[str, Methodology]) -> str | None:
    """The newest edition with self-check indicators, or None when there is none."""
    usable = scorable_editions(methodologies)
    return usable[0] if usable else None
