"""Small talk: greetings, thanks, "siapa kamu", "kamu bisa apa" (domain layer: pure).

A message made only of small-talk phrases (``Lexicon.small_talk``) and filler words ("bot",
"min", "kak", particles) is small talk: the bot replies briefly and does not treat it as a
question (nor as a content gap). A message that starts with a greeting and goes on with a
question ("halo pak, mau tanya ...") is a question: ``strip_greeting`` removes the greeting.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["SmallTalk", "SmallTalkDetector"]

_TOKEN_RE = re.compile(r"[^\W_]+")
# Words that may stand around small talk without making it a question.
_FILLERS = frozenset(
    "bot min admin kak kakak pak bu bapak ibu mas mbak bang sis gan semua semuanya all everyone "
    "ya yah ok oke sip dong nih sih deh lho loh kok nya banyak sekali bgt banget ya2 juga "
    "saya aku kami sudah udah ini there hi dear team tim yg yang mau ingin izin".split()
)
# Priority when a message has phrases of several kinds ("halo, kamu bisa apa?").
_ORDER = ("capabilities", "who", "thanks", "bye", "greeting")


class SmallTalk(enum.Enum):
    """The kinds of small talk the bot replies to."""

    GREETING = "greeting"
    THANKS = "thanks"
    WHO = "who"
    CAPABILITIES = "capabilities"
    BYE = "bye"


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(unicodedata.normalize("NFKC", text).casefold())


class SmallTalkDetector:
    """Recognises small talk from phrase lists (kind -> phrases)."""

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        """``phrases``: small-talk kind ("greeting", "thanks", ...) -> phrases of that kind."""
        self._phrases: list[tuple[tuple[str, ...], SmallTalk]] = []
        for kind in _ORDER:
            for phrase in phrases.get(kind, ()):
                tokens = tuple(_tokens(phrase))
                if tokens:
                    self._phrases.append((tokens, SmallTalk(kind)))
        # Longest phrases first, so "selamat pagi" wins over "pagi"; indexed by first word.
        self._phrases.sort(key=lambda item: -len(item[0]))
        self._by_first: dict[str, list[tuple[tuple[str, ...], SmallTalk]]] = {}
        for words, said in self._phrases:
            self._by_first.setdefault(words[0], []).append((words, said))

    def _cover(self, tokens: list[str]) -> tuple[list[SmallTalk], list[str]]:
        """The small-talk kinds found and the tokens left that are neither phrase nor filler."""
        kinds: list[SmallTalk] = []
        rest: list[str] = []
        i = 0
        while i < len(tokens):
            for phrase, kind in self._by_first.get(tokens[i], ()):
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    kinds.append(kind)
                    i += len(phrase)
                    break
            else:
                if tokens[i] not in _FILLERS:
                    rest.append(tokens[i])
                i += 1
        return kinds, rest

    def detect(self, text: str) -> SmallTalk | None:
        """The kind of small talk ``text`` is, or None when it is (also) something else."""
        tokens = _tokens(text)
        if not tokens or len(tokens) > 12:
            return None
        kinds, rest = self._cover(tokens)
        if rest or not kinds:
            return None
        return min(kinds, key=lambda k: _ORDER.index(k.value))

    def strip_greeting(self, text: str) -> str:
        """``text`` without a leading greeting ("halo pak, selamat pagi. ..."), else as is."""
        normal = unicodedata.normalize("NFKC", text)
        spans = [(m.start(), m.group().casefold()) for m in _TOKEN_RE.finditer(normal)]
        tokens = [t for _, t in spans]
        i, greeted = 0, False
        while i < len(tokens):
            for phrase, kind in self._by_first.get(tokens[i], ()):
                if kind is SmallTalk.GREETING and tuple(tokens[i : i + len(phrase)]) == phrase:
                    i += len(phrase)
                    greeted = True
                    break
            else:
                if tokens[i] in _FILLERS and i < 6:
                    i += 1
                    continue
                break
        if not greeted or i >= len(tokens):
            return text
        return normal[spans[i][0] :]
