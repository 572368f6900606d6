"""Domain: a deadline's reminder offsets as chosen in chat ("H-7, H-1, hari H"), checked.

An offset is a number of days before the due date (0 = the due day itself, "hari H"). In chat a
person toggles the usual choices with buttons or types them: "14 7 3 1 0", "H-7, H-1, hari H",
"h-3 dan h". Everything here is pure; failures raise `InvalidInput("offsets", reason)` with one
of the reasons below, which the handlers word in Indonesian.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from bot.domain.errors import InvalidInput

#: Chat edits accept 0..60 days: two months ahead is as early as a reminder is useful.
MAX_CHAT_OFFSET: Final = 60
#: The toggle buttons offered in chat (H-30 ... hari H).
CHOICES: Final[tuple[int, ...]] = (30, 14, 7, 3, 2, 1, 0)

EMPTY: Final = "empty"  # nothing chosen
UNREADABLE: Final = "unreadable"  # a word that is not an offset
OUT_OF_RANGE: Final = "out_of_range"  # more than MAX_CHAT_OFFSET days
DUPLICATE: Final = "duplicate"  # the same day twice

_HARI_BEFORE = re.compile(r"\bhari\s+(?=h\s*-\s*\d)")  # "hari H-1" means "H-1"
_DUE_DAY = re.compile(r"\bhari[\s-]*h\b(?!\s*-\s*\d)|\bh\s*-?\s*0\b|^h$")
_SPACED = re.compile(r"\bh\s*-\s*(\d)")
_SEPARATORS = re.compile(r"[\s,;/&]+|\bdan\b")
_TOKEN = re.compile(r"^(?:h-?)?(\d{1,4})$")


def check_offsets(offsets: Iterable[int], *, keep: Iterable[int] = ()) -> tuple[int, ...]:
    """Return the offsets sorted from the earliest reminder (largest) to the due day.

    Args:
        offsets: the chosen days before the due date.
        keep: offsets the deadline already has; they may stay even beyond MAX_CHAT_OFFSET (a
            content file may use up to 90 days), so removing another one never fails.

    Raises:
        InvalidInput: ("offsets", EMPTY | OUT_OF_RANGE | DUPLICATE).
    """
    values = list(offsets)
    allowed_far = set(keep)
    if not values:
        raise InvalidInput("offsets", EMPTY)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput("offsets", UNREADABLE)
        if value < 0 or (value > MAX_CHAT_OFFSET and value not in allowed_far):
            raise InvalidInput("offsets", OUT_OF_RANGE)
    if len(set(values)) != len(values):
        raise InvalidInput("offsets", DUPLICATE)
    return tuple(sorted(values, reverse=True))


def parse_offsets(text: str, *, keep: Iterable[int] = ()) -> tuple[int, ...]:
    """Read typed offsets: "14 7 3 1 0", "H-7, H-1, hari H", "h-3 dan h-1"; sorted descending.

    Raises:
        InvalidInput: ("offsets", EMPTY | UNREADABLE | OUT_OF_RANGE | DUPLICATE).
    """
    lowered = text.lower().replace("–", "-").replace("—", "-")
    lowered = _HARI_BEFORE.sub("", lowered)
    lowered = _DUE_DAY.sub(" 0 ", lowered)
    lowered = _SPACED.sub(r"h-\1", lowered)
    tokens = [t.strip(".") for t in _SEPARATORS.split(lowered) if t and t.strip(".")]
    values = []
    for word in tokens:
        if word == "h":  # "H" alone: the due day
            values.append(0)
            continue
        match = _TOKEN.match(word)
        if match is None:
            raise InvalidInput("offsets", UNREADABLE)
        values.append(int(match.group(1)))
    return check_offsets(values, keep=keep)


def toggle(offsets: Iterable[int], day: int) -> tuple[int, ...]:
    """Add `day` if absent, remove it if present; sorted descending (may become empty)."""
    chosen = set(offsets) ^ {day}
    return tuple(sorted(chosen, reverse=True))
