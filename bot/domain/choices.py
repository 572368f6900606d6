"""Typed text read as one of the choices a flow waits for (a letter, a number, a label, yes/no)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

YES = "yes"
NO = "no"
YES_WORDS = frozenset(
    {
        "ya",
        "iya",
        "iyaa",
        "y",
        "yes",
        "yoi",
        "betul",
        "benar",
        "bener",
        "oke",
        "ok",
        "okay",
        "okey",
        "sip",
        "siap",
        "setuju",
        "lanjut",
        "boleh",
        "tentu",
        "pasti",
        "sudah",
        "udah",
    }
)
NO_WORDS = frozenset(
    {
        "tidak",
        "tdk",
        "ga",
        "gak",
        "nggak",
        "ngga",
        "enggak",
        "engga",
        "g",
        "no",
        "batal",
        "bukan",
        "jangan",
        "salah",
        "belum",
    }
)
#: Words around an answer that carry no choice ("jawabannya D dong", "pilih nomor 2").
FILLER = frozenset(
    {
        "sih",
        "deh",
        "dong",
        "kok",
        "kak",
        "pak",
        "bu",
        "aja",
        "saja",
        "lah",
        "nih",
        "jawaban",
        "jawabannya",
        "jawab",
        "pilih",
        "pilihan",
        "opsi",
        "nomor",
        "huruf",
        "saya",
        "yang",
        "itu",
        "kayaknya",
        "mungkin",
        "rasanya",
    }
)
_WORD = re.compile(r"[0-9a-zà-ÿ]+")


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer a flow accepts: `key` is returned, `label` and `aliases` are matched."""

    key: str
    label: str
    aliases: frozenset[str] = frozenset()
    numbered: bool = True  # False: not counted by "1", "2", ... (e.g. "Lewati" under options)


def words(text: str) -> list[str]:
    """Lower-case words of `text`, without punctuation."""
    return _WORD.findall(text.lower())


def yes_no(yes_label: str, no_label: str) -> tuple[Choice, Choice]:
    """The two choices of a confirmation step, with everyday Indonesian for each."""
    return Choice(YES, yes_label, YES_WORDS), Choice(NO, no_label, NO_WORDS)


def match_choice(text: str, choices: Sequence[Choice]) -> str | None:
    """The key of the one choice `text` names, or None if it names none (or several).

    Tried in order: the whole text as a number (1-based position) or alias (an option letter,
    "iya"); every word an alias of the same choice ("iya betul"); the words inside one label
    ("sebagian besar sih" for "Sebagian besar layanan ...").
    """
    all_words = words(text)
    meaningful = [w for w in all_words if w not in FILLER] or all_words
    if not meaningful:
        return None
    if len(meaningful) == 1:
        word = meaningful[0]
        numbered = [c for c in choices if c.numbered]
        if word.isdigit() and 1 <= int(word) <= len(numbered):
            return numbered[int(word) - 1].key
    for choice in choices:
        if meaningful and all(w in choice.aliases for w in meaningful):
            return choice.key
    phrase = " ".join(meaningful)
    exact = [c.key for c in choices if " ".join(words(c.label)) == phrase]
    if len(exact) == 1:
        return exact[0]
    if len(phrase) < 3:
        return None
    inside = [c.key for c in choices if _contains(words(c.label), meaningful)]
    return inside[0] if len(inside) == 1 else None


def _contains(label: list[str], wanted: list[str]) -> bool:
    """True if `wanted` appears as consecutive words (the last may be a prefix) in `label`."""
    size = len(wanted)
    for start in range(len(label) - size + 1):
        window = label[start : start + size]
        if window[:-1] == wanted[:-1] and window[-1].startswith(wanted[-1]):
            return True
    return False
