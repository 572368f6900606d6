"""Button payloads of evidence sent from a reminder (rb1.*)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.handlers.callback_data import callback


@callback("rb1.s")
@dataclass(frozen=True, slots=True)
class ReminderEvidence:
    """ "📎 Kirim bukti": the next photo or document is evidence for this deadline."""

    deadline_id: int


@callback("rb1.p")
@dataclass(frozen=True, slots=True)
class ReminderEvidencePick:
    """Which deadline of a merged reminder a file (held in the flow) is for."""

    revision: int
    deadline_id: int
