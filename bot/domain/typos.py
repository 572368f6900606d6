"""Typo correction for short and chat-spelled words (domain layer: pure, stdlib only).

``KnowledgeIndex`` corrects long unknown words with rapidfuzz; this module handles what that
cannot: short words and the ways chat Indonesian misspells them.

- **Dropped vowels** ("jwbn" -> "jawaban", "pngaduan" -> "pengaduan", "brp" style): the word's
  letters appear in order in a vocabulary word that only adds vowels, and the consonants are the
  same (at least two of them).
- **One slip** (a letter wrong, missing, doubled or two letters swapped: "bobit", "unsru",
  "kategor"): Damerau-Levenshtein distance 1, found through single-deletion variants
  (SymSpell style), for words of at least ``min_length`` letters, first letter kept.
- **Suffixes** ("-nya", "-ny", "-lah", "-kah", "-in", "-an", "-ku", "-mu"): stripped before
  correcting ("syartnya" -> "syarat").

Among several candidates the closest wins (fewest added letters), then the most frequent.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["SUFFIXES", "TypoCorrector", "damerau1"]

VOWELS = frozenset("aeiou")
SUFFIXES = ("nya", "ny", "lah", "kah", "in", "an", "ku", "mu")


def _skeleton(word: str) -> str:
    return "".join(c for c in word if c not in VOWELS)


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def damerau1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one edit (including an adjacent swap)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class TypoCorrector:
    """Corrects a word to a vocabulary word (see the module docstring)."""

    def __init__(
        self,
        frequency: Mapping[str, float],
        *,
        min_length: int = 4,
        protected: frozenset[str] = frozenset(),
    ) -> None:
        """``frequency``: vocabulary word -> how common it is (ties are broken by it);
        ``protected``: words never corrected (ordinary words that only look like typos)."""
        self._frequency = dict(frequency)
        self._min_length = min_length
        self._protected = protected
        self._by_skeleton: dict[str, list[str]] = {}
        self._by_delete: dict[str, list[str]] = {}
        for word in self._frequency:
            if not word.isalpha() or len(word) < 3:
                continue
            self._by_skeleton.setdefault(_skeleton(word), []).append(word)
            for variant in _deletes(word) | {word}:
                self._by_delete.setdefault(variant, []).append(word)

    def _best(self, candidates: list[str], word: str) -> str | None:
        if not candidates:
            return None
        return min(candidates, key=lambda c: (abs(len(c) - len(word)), -self._frequency[c], c))

    def _vowels(self, word: str) -> str | None:
        skeleton = _skeleton(word)
        if len(skeleton) < 2:
            return None
        found = [
            c
            for c in self._by_skeleton.get(skeleton, ())
            if c != word and len(c) <= 2 * len(word) and _is_subsequence(word, c)
        ]
        return self._best(found, word)

    def _slip(self, word: str) -> str | None:
        if len(word) < self._min_length:
            return None
        found = {
            c
            for variant in _deletes(word) | {word}
            for c in self._by_delete.get(variant, ())
            if c[0] == word[0] and damerau1(word, c)
        }
        return self._best(sorted(found), word)

    def correct(self, word: str) -> str | None:
        """The vocabulary word ``word`` most likely stands for, or None."""
        if word in self._frequency or word in self._protected or not word.isalpha():
            return None
        bases = [word] + [
            word[: -len(s)] for s in SUFFIXES if word.endswith(s) and len(word) - len(s) >= 3
        ]
        for base in bases:
            if base in self._frequency and base is not word:
                return base
        for base in bases:
            if base in self._protected:
                continue
            found = self._vowels(base) or self._slip(base)
            if found is not None:
                return found
        return None
