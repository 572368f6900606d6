"""Which methodology edition applies when nobody chose one (domain layer, pure).

The edition *in force* is the newest edition that has self-check indicators (2025, the Opini
Ombudsman method of PO 61/2025, once content/metodologi/2025.yaml has indicators). An operator
may pin another edition with BOT_EDITION. `default_edition` is the one place that decides: the
self-check (/cek), /skor, the recap, the evidence checklist, the deadlines' indicator links and
the CLI all ask it, so they never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.errors import NotFound
from bot.domain.methodology import Methodology

__all__ = ["default_edition", "edition_in_force", "editions_with_indicators"]


def editions_with_indicators(methodologies: Mapping[str, Methodology]) -> list[str]:
    """Editions a self-check can use, newest first (ids are four-digit years)."""
    return sorted((edition for edition, m in methodologies.items() if m.indicators), reverse=True)


def edition_in_force(methodologies: Mapping[str, Methodology]) -> str | None:
    """The newest edition with indicators, or None when no edition has any."""
    usable = editions_with_indicators(methodologies)
    return usable[0] if usable else None


def default_edition(methodologies: Mapping[str, Methodology], configured: str | None) -> str:
    """The edition used wherever none is chosen: `configured` (BOT_EDITION) or the one in force.

    Raises:
        NotFound: `configured` is not an edition with indicators, or no edition has any.
    """
    if configured is not None:
        if configured not in editions_with_indicators(methodologies):
            raise NotFound("edition", configured)
        return configured
    in_force = edition_in_force(methodologies)
    if in_force is None:
        raise NotFound("edition", None)
    return in_force
