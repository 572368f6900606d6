"""Question-answering retrieval over Q&A topics (domain layer: pure, no I/O).

Pipeline for both topics and questions (``Analyzer``):

1. truncate very long input to a bound (``RankingConfig.max_query_chars`` for queries);
2. Unicode NFKC normalisation and case folding;
3. split into letter/digit runs, which strips punctuation, symbols and emoji, and drop the chat
   reduplication mark ("berkas2" -> "berkas");
4. expand chat abbreviations ("yg" -> "yang"), domain acronyms ("sp" -> "sp standar pelayanan")
   and English words ("complaint" -> "pengaduan") from the curated ``Lexicon`` (multi-word keys
   such as "k/l" are matched on token n-grams; an English word mapped to nothing is dropped);
5. drop stopwords;
6. stem with Snowball Indonesian, except words listed in ``Lexicon.stem_exceptions`` (the stemmer
   turns "berikan" into "ikan" and "berapa" into "apa").

``KnowledgeIndex`` ranks topics with BM25F (one saturation over field-weighted, length-normalised
term frequencies of title, example questions, keywords, short answer and detail), corrects query
words the domain vocabulary does not know with rapidfuzz or, for chat verbs, by their standard
"-kan"/"-i" form ("dicantumin" -> "dicantumkan") and prefix ("ngelapor" -> "lapor", "nyusun"
-> "susun") (typo tolerance), and adds a
character-level similarity to the closest example question. ``KnowledgeIndex.decide`` turns the
ranking into an ANSWER, a CLARIFY with up to three candidates, or a DECLINE.

Out-of-scope questions are detected mainly by coverage: the confidence of a topic is the share
of the query's information (IDF mass) that the topic explains, so a question that is mostly about
words the knowledge base never uses ("cuaca") gets a low confidence. An acronym and the words of
its expansion are one concept there ("disdukcapil" -> "dinas kependudukan ..." counts once), so a
long expansion cannot outweigh the rest of the question. Some out-of-scope questions
share most of their words with the domain ("jadwal CPNS", "opini WTP", "nilai IPK"); the lexicon's
``off_topic`` cue words name the other domains they come from. A cue word in a query is never
matched, and it counts against coverage like an unknown word (``RankingConfig.off_topic_weight``),
so such a question is declined unless the rest of it is clearly about a topic.

Coverage alone lets a topic win on words every office uses. The lexicon's ``generic`` words
("pelayanan", "standar", "nilai", "pengaduan", question words) are common in this domain and
just as common outside it, so they never tie a question to a topic on their own: when a question
has any other word (known, unknown or a cue), a topic that matches none of those specific words
is not *anchored*; it is never answered directly, and if no candidate is anchored the question
is declined ("standar pelayanan bengkel" shares nothing specific with any topic). A question of
generic words only ("laporan hasil kerja unit") is never answered directly either, and is
declined unless a topic explains nearly all of it (``generic_threshold``), as "standar
pelayanan" does. The ranking itself (``search``) is not changed by anchoring, but a generic
word adds less to the ranking score than other words (``RankingConfig.generic_weight``).

Two kinds of specific words are weak evidence. Unit and place names (``Lexicon.units``:
"puskesmas", "dukcapil", "bontang") appear as often in questions about a unit's own business
("puskesmas buka hari sabtu", "nomor telepon dukcapil") as in questions about its assessment,
and a typo-corrected word is a guess ("motor" looks like "moto"). Such words anchor a topic only
when the question has no other specific word ("hasil bontang", "maklumt pelayanan"). Ordinary
words listed in ``Lexicon.common`` ("motor", "pelanggan", "bintang", "sabtu") are never
typo-corrected at all, so they stay unknown words and count against coverage.

A direct answer needs a confident best topic and a lead over the second; the lead required is
smaller when the best topic explains nearly all of the question (``confident_threshold``), since
two well-matching topics often share every query word and still rank in the right order.
That is the decision of an index built without a gate. With a fitted gate (``bot.domain.gate``,
stored in ``content/qa-gate.yaml``) one logistic model over the ranking features decides instead:
the first topic is answered whenever the gate passes, "Mungkin maksud Anda" is asked only in a
narrow band below it (never between ``Lexicon.equivalent`` topics), and a decline keeps a
plausible topic to offer. Small talk (``bot.domain.smalltalk``) gets its own kind, and short or
chat-spelled words are corrected by ``bot.domain.typos``.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import snowballstemmer
from rapidfuzz import fuzz, process

from bot.domain.gate import Gate
from bot.domain.smalltalk import SmallTalk, SmallTalkDetector
from bot.domain.typos import TypoCorrector

__all__ = [
    "MAX_RELATED",
    "Analyzer",
    "Answer",
    "Decision",
    "DecisionKind",
    "Hit",
    "KnowledgeIndex",
    "Lexicon",
    "RankingConfig",
    "Topic",
    "to_answer",
]

# Letter or digit runs; everything else (punctuation, symbols, emoji, spaces) separates tokens.
_TOKEN_RE = re.compile(r"[^\W_]+")
_TRAILING_WORD_RE = re.compile(r"[^\W_]+$")
_LONGEST_LEXICON_KEY = 4  # tokens; longer lexicon keys are ignored
_SIMILARITY_POOL = 20  # topics, by lexical score, compared with the query's wording
_LONG_MESSAGE_WORDS = 8  # a message this long may hold context and several questions
_SENTENCE_RE = re.compile(r"[.?!;:\n]+|,\s*")


@dataclass(frozen=True, slots=True)
class Topic:
    """One Q&A topic: a short answer, optional detail, and what it is searched by."""

    id: str
    title: str
    short: str
    detail: str = ""
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    editions: tuple[str, ...] = ()
    certainty: str = "pasti"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Curated language knowledge (content, not code).

    Attributes:
        abbreviations: chat abbreviations replaced by their expansion ("yg" -> "yang").
        acronyms: domain acronyms; the acronym is kept and its expansion added ("sp" ->
            "sp standar pelayanan"), so both spellings meet in the index.
        stem_exceptions: words the stemmer must not touch, mapped to the form to use instead
            ("berikan" -> "beri", "berapa" -> "berapa").
        stopwords: words dropped before ranking.
        english: English words or phrases mapped to Indonesian ("complaint" -> "pengaduan");
            an empty value drops the word ("the" -> ""). Acronyms and abbreviations win ties.
        off_topic: words or short phrases that signal another domain ("gaji", "cpns",
            "reformasi birokrasi"); see the module docstring.
        generic: words common in this domain and just as common outside it ("pelayanan",
            "standar", "nilai", "pengaduan", question words): a topic that shares only such
            words with a question is no candidate when the question has other words (see the
            module docstring).
        units: names of units, offices and places ("puskesmas", "kecamatan", "dukcapil",
            "bontang"): a question about a unit's own business ("puskesmas buka jam berapa")
            names it as much as a question about its assessment, so a unit name does not tie a
            question to a topic when the question has other specific words (see the module
            docstring).
        common: ordinary Indonesian words ("motor", "pelanggan", "bintang", "sabtu") that are
            never typo-corrected into a domain word they happen to resemble ("moto",
            "pelanggaran", "bontang", "satu"); an unknown common word stays unknown.
        equivalent: groups of topic ids that answer the same questions (near-duplicates); the
            first id of a group is its primary. The engine never asks "Mungkin maksud Anda"
            between topics of one group, and a topic's lead is measured against the next topic
            outside its group.
        small_talk: small-talk kind ("greeting", "thanks", "who", "capabilities", "bye") ->
            phrases; a message of such phrases only gets a short reply (``bot.domain.smalltalk``).
    """

    abbreviations: Mapping[str, str] = field(default_factory=dict)
    acronyms: Mapping[str, str] = field(default_factory=dict)
    stem_exceptions: Mapping[str, str] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    english: Mapping[str, str] = field(default_factory=dict)
    off_topic: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    common: frozenset[str] = frozenset()
    equivalent: tuple[tuple[str, ...], ...] = ()
    small_talk: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RankingConfig:
    """Tunables of ranking and decision. Defaults were tuned on the ``tune`` split only, except
    ``oov_weight`` (2 -> 1, issue 11), chosen as an engine design decision on the independent
    development set. With a fitted gate (``bot.domain.gate``) the thresholds and margins below
    are not used; they remain the decision of an index built without one.

    Attributes:
        title_weight, questions_weight, keywords_weight, short_weight, detail_weight: BM25F
            field weights (a term in the title counts ``title_weight`` times a body occurrence).
        k1: BM25 term-frequency saturation.
        b: BM25 length normalisation (0 = none, 1 = full), shared by all fields.
        fuzzy_threshold: minimum rapidfuzz ``ratio`` (0..100) for correcting an unknown query word
            to a vocabulary word; above 100 turns typo correction off.
        fuzzy_min_length: words shorter than this are never corrected (too many near neighbours).
        fuzzy_weight: weight of a corrected word relative to an exact one.
        oov_weight: how much an unknown (uncorrectable) query word counts against coverage,
            as a fraction of the IDF of a word seen in no topic.
        off_topic_weight: how much an off-topic cue word counts against coverage, as a
            fraction of the IDF of a word seen in no topic.
        similarity_weight: weight of the closest-example-question similarity (0..1) next to
            BM25F, in both the ranking score and the confidence.
        coverage_weight: ranking bonus for the share of the query's IDF mass a topic contains
            (favours topics that match every query word over ones that repeat one word).
        answer_threshold: minimum confidence to answer directly.
        clarify_threshold: minimum confidence to offer a topic as a candidate.
        margin: minimum relative score lead of the best topic over the second, (s1 - s2) / s1,
            to answer directly; a smaller lead asks "Mungkin maksud Anda: ...".
        confident_threshold, confident_margin: a best topic with at least this confidence
            (it explains nearly all of the question) needs only ``confident_margin`` of lead:
            near-ties of two well-matching topics are common (the same words in both), and
            the ranking separates them reliably once the lead is no longer tiny.
        clarify_window: candidates must score at least (1 - clarify_window) times the best.
        max_candidates: candidates offered with CLARIFY ("Mungkin maksud Anda: ...").
        max_query_chars: longer input is truncated before analysis (bounds latency).
        require_anchor: when the question has a word that is not ``Lexicon.generic``, a topic
            must match at least one such word to be answered directly or to save the question
            from a decline; a question of generic words only is never answered directly (see
            the module docstring).
        generic_threshold: with ``require_anchor``, the confidence a question of generic words
            only needs for its candidates to be offered; below it the question is declined.
        generic_weight: factor on the ranking score a ``Lexicon.generic`` word contributes
            (1 = like any word); coverage and confidence are not affected.
        edition_weight: factor on the ranking score of a topic whose editions include none
            of the edition years the question names ("alur penilaian 2025" is not about a
            2022-2024 topic); 1 switches it off. Topics without editions or "umum" ones keep
            their score.
    """

    title_weight: float = 3.0
    questions_weight: float = 3.0
    keywords_weight: float = 4.0
    short_weight: float = 0.5
    detail_weight: float = 0.6
    k1: float = 2.0
    b: float = 0.3
    fuzzy_threshold: float = 85.0
    fuzzy_min_length: int = 5
    fuzzy_weight: float = 0.8
    oov_weight: float = 1.0
    off_topic_weight: float = 3.0
    similarity_weight: float = 0.6
    coverage_weight: float = 0.0
    answer_threshold: float = 0.55
    clarify_threshold: float = 0.5
    margin: float = 0.1
    confident_threshold: float = 0.7
    confident_margin: float = 0.05
    clarify_window: float = 0.15
    max_candidates: int = 3
    max_query_chars: int = 5000
    require_anchor: bool = True
    generic_threshold: float = 0.7
    generic_weight: float = 0.6
    edition_weight: float = 0.7


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked topic.

    ``score`` orders topics (BM25F over the query's IDF mass plus example similarity);
    ``confidence`` (0..1) is the share of the query the topic explains, blended with the
    example similarity, and is what the decision thresholds compare against.
    """

    topic_id: str
    score: float
    confidence: float
    anchored: bool = True  # matches a specific word of the question (see RankingConfig)
    coverage: float = 0.0  # share of the query's IDF mass this topic explains
    similarity: float = 0.0  # closest example question, character level (0..1)


class DecisionKind(enum.Enum):
    """What the bot should do with a question."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    DECLINE = "decline"
    SMALL_TALK = "small_talk"  # a greeting, thanks, "siapa kamu": a short friendly reply


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of ``KnowledgeIndex.decide``.

    ``topic`` is set for ANSWER, ``candidates`` (best first, at most ``max_candidates``) for
    CLARIFY; ``query`` is the normalised query (analysed tokens joined by spaces).
    """

    kind: DecisionKind
    confidence: float
    query: str
    topic: Topic | None = None
    candidates: tuple[Topic, ...] = ()
    hits: tuple[Hit, ...] = ()
    offered: Topic | None = None  # a plausible topic offered as a button with a DECLINE
    also: tuple[Topic, ...] = ()  # with ANSWER: the topic of a second question in the message
    small_talk: SmallTalk | None = None  # with SMALL_TALK: which kind


def _split(text: str) -> list[str]:
    return _TOKEN_RE.findall(unicodedata.normalize("NFKC", text).casefold())


class Analyzer:
    """Turns text into index terms; see the module docstring for the steps."""

    def __init__(self, lexicon: Lexicon, *, max_chars: int | None = None) -> None:
        self._max_chars = max_chars
        self._stemmer = snowballstemmer.stemmer("indonesian")
        self._stem_cache: dict[str, str] = {}
        self._stopwords = frozenset(t for word in lexicon.stopwords for t in _split(word))
        self._stem_exceptions = {
            " ".join(_split(k)): " ".join(_split(v)) for k, v in lexicon.stem_exceptions.items()
        }
        # Acronyms keep the acronym itself, so "SP" in a question still meets "SP" in a topic.
        self._expansions: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._acronyms: set[tuple[str, ...]] = set()
        for key, value in lexicon.acronyms.items():
            tokens = tuple(_split(key))
            if tokens:
                self._acronyms.add(tokens)
                self._expansions[tokens] = tokens + tuple(
                    t for t in _split(value) if t not in tokens
                )
        for mapping in (lexicon.abbreviations, lexicon.english):
            for key, value in mapping.items():
                tokens = tuple(_split(key))
                if tokens and tokens not in self._expansions:
                    self._expansions[tokens] = tuple(_split(value))
        # Off-topic cues are words or short phrases ("gaji", "reformasi birokrasi").
        self._off_topic: dict[tuple[str, ...], str] = {}
        for cue in lexicon.off_topic:
            tokens = tuple(_split(cue))
            if tokens:
                self._off_topic[tokens] = " ".join(tokens)
        # Generic words, as index terms (stemmed like everything else).
        self._generic = frozenset(
            self.stem(t)
            for word in lexicon.generic
            for t in _split(word)
            if t not in self._stopwords
        )
        self._units = frozenset(
            self.stem(t)
            for word in lexicon.units
            for t in _split(word)
            if t not in self._stopwords
        )
        self._common = frozenset(t for word in lexicon.common for t in _split(word))
        self.small_talk = lexicon.small_talk
        self._max_key = min(
            _LONGEST_LEXICON_KEY,
            max((len(k) for k in (*self._expansions, *self._off_topic)), default=1),
        )

    def is_generic(self, term: str) -> bool:
        """True when the index term ``term`` comes from a ``Lexicon.generic`` word."""
        return term in self._generic

    def is_unit(self, term: str) -> bool:
        """True when the index term ``term`` comes from a ``Lexicon.units`` name."""
        return term in self._units

    def chat_words(self) -> frozenset[str]:
        """Stopwords and chat abbreviations: words that say nothing about a topic."""
        keys = {k[0] for k, v in self._expansions.items() if len(k) == 1 and not v}
        return self._stopwords | frozenset(keys)

    def common_words(self) -> frozenset[str]:
        """The ``Lexicon.common`` ordinary words (surface forms)."""
        return self._common

    def is_stopword(self, word: str) -> bool:
        """True when the surface word ``word`` is dropped as a stopword."""
        return word in self._stopwords

    def is_common(self, word: str) -> bool:
        """True when the surface word ``word`` is a ``Lexicon.common`` ordinary word."""
        return word in self._common

    def _unreduplicate(self, token: str) -> str:
        """Drop the chat reduplication mark ("berkas2" -> "berkas") unless the lexicon has it."""
        if (
            len(token) > 3
            and token.endswith("2")
            and token[:-1].isalpha()
            and (token,) not in self._expansions
        ):
            return token[:-1]
        return token

    def normalize(self, text: str) -> list[str]:
        """Return the raw tokens of ``text``: truncated, NFKC, case-folded, punctuation-free."""
        if self._max_chars is not None and len(text) > self._max_chars:
            cut = text[: self._max_chars]
            if text[self._max_chars].isalnum():
                cut = _TRAILING_WORD_RE.sub("", cut)  # do not keep half a word
            text = cut
        return _split(text)

    def words(self, text: str) -> list[str]:
        """Return the surface words of ``text`` after lexicon expansion and stopword removal."""
        return [word for word, _ in self.query_words(text)]

    def query_words(self, text: str) -> list[tuple[str, bool]]:
        """Like ``words``, each word paired with whether it is an off-topic cue.

        Only what the user typed can be a cue, never words a lexicon expansion produced (so
        "permenpanrb", which expands to "... reformasi birokrasi", is not off topic). A cue
        phrase ("reformasi birokrasi") comes back as one word, with its tokens joined by spaces.
        """
        return [(word, cue) for word, cue, _ in self.grouped_words(text)]

    def grouped_words(self, text: str) -> list[tuple[str, bool, int]]:
        """Like ``query_words``, each word also carrying the number of the concept it belongs to.

        An acronym and the words of its expansion ("sp standar pelayanan") share one number:
        they name one concept, so coverage counts them once. Every other word has its own.
        """
        tokens = [self._unreduplicate(t) for t in self.normalize(text)]
        expanded: list[tuple[str, bool, int]] = []
        i = group = 0
        while i < len(tokens):
            for n in range(min(self._max_key, len(tokens) - i), 0, -1):
                key = tuple(tokens[i : i + n])
                cue = self._off_topic.get(key)
                if cue is not None:
                    expanded.append((cue, True, group))
                    group += 1
                    i += n
                    break
                replacement = self._expansions.get(key)
                if replacement is not None:
                    if key in self._acronyms:
                        expanded.extend((word, False, group) for word in replacement)
                        group += 1
                    else:
                        for word in replacement:
                            expanded.append((word, False, group))
                            group += 1
                    i += n
                    break
            else:
                expanded.append((tokens[i], False, group))
                group += 1
                i += 1
        return [(w, cue, g) for w, cue, g in expanded if w not in self._stopwords]

    def stem(self, word: str) -> str:
        """Stem one surface word, honouring the exception list."""
        cached = self._stem_cache.get(word)
        if cached is None:
            cached = self._stem_exceptions.get(word)
            if cached is None:
                cached = word if word.isdigit() else self._stemmer.stemWord(word)
            self._stem_cache[word] = cached
        return cached

    def tokens(self, text: str) -> list[str]:
        """Return the index terms of ``text``."""
        return [self.stem(w) for w in self.words(text)]


_FIELDS = ("title", "questions", "keywords", "short", "detail")


def _swapped_once(word: str, other: str) -> bool:
    """True when ``other`` is ``word`` with exactly two adjacent letters swapped."""
    if len(word) != len(other):
        return False
    diff = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and word[diff[0]] == other[diff[1]]
        and word[diff[1]] == other[diff[0]]
    )


def _field_texts(topic: Topic) -> tuple[str, ...]:
    return (
        topic.title,
        "\n".join(topic.questions),
        "\n".join(topic.keywords),
        topic.short,
        topic.detail,
    )


@dataclass(frozen=True, slots=True)
class _QueryTerm:
    term: str
    weight: float  # 1 for an exact word, fuzzy_weight for a corrected one, 0 if unknown
    off_topic: bool = False  # an off-topic cue word: never matched, counts against coverage
    group: int = 0  # concept number: an acronym and its expansion share one (see grouped_words)
    corrected: bool = False  # a typo-corrected word: weaker evidence, see KnowledgeIndex._anchors


class KnowledgeIndex:
    """An immutable BM25F index over topics with a calibrated answer/clarify/decline decision."""

    def __init__(
        self,
        topics: Sequence[Topic],
        analyzer: Analyzer,
        config: RankingConfig,
        postings: Mapping[str, Sequence[tuple[int, float]]],
        idf: Mapping[str, float],
        surface_vocabulary: Mapping[str, str],
        examples: Sequence[tuple[str, ...]],
        gate: Gate | None = None,
        equivalent: Sequence[Sequence[str]] = (),
    ) -> None:
        """Use ``KnowledgeIndex.build``; this constructor only stores precomputed tables."""
        self._gate = gate
        self._small_talk = SmallTalkDetector(analyzer.small_talk)
        self._primary = {topic_id: group[0] for group in equivalent if group for topic_id in group}
        self._topics = tuple(topics)
        self._by_id = {t.id: t for t in self._topics}
        self._analyzer = analyzer
        self._config = config
        self._postings = postings
        self._idf = idf
        self._surface = surface_vocabulary
        self._surface_words = list(surface_vocabulary)
        # Anagram classes of the vocabulary, for swapped-letter typos ("unsru" -> "unsur").
        self._anagrams: dict[str, list[str]] = {}
        for word in self._surface_words:
            self._anagrams.setdefault("".join(sorted(word)), []).append(word)
        self._examples = list(examples)  # analysed title and example questions, per topic
        # Edition years per topic (empty: edition-independent), for RankingConfig.edition_weight.
        years = {e for t in self._topics for e in t.editions if e.isdigit()}
        self._editions = [frozenset(e for e in t.editions if e in years) for t in self._topics]
        self._edition_years = frozenset(years)
        self._unknown_idf = math.log(1.0 + (len(self._topics) + 0.5) / 0.5)
        self._corrections: dict[str, str | None] = {}
        # Short words and chat spellings: domain words by document frequency, then the words
        # a question may hold without being about anything (stopwords: a correction to one
        # drops the word) and ordinary words (a correction to one keeps the word unknown).
        frequency: dict[str, float] = {}
        for word in analyzer.chat_words():
            frequency[word] = 1000.0
        for word, stem in surface_vocabulary.items():
            frequency[word] = float(len(postings.get(stem, ())))
        for word in analyzer.common_words():
            frequency.setdefault(word, 0.5)
        self._typos = TypoCorrector(frequency, protected=analyzer.common_words())

    @classmethod
    def build(
        cls,
        topics: Iterable[Topic],
        lexicon: Lexicon,
        config: RankingConfig | None = None,
        gate: Gate | None = None,
    ) -> KnowledgeIndex:
        """Analyse all topics and precompute postings, IDF and the typo vocabulary.

        Raises:
            ValueError: if two topics share an id.
        """
        config = config or RankingConfig()
        topic_list = list(topics)
        ids = [t.id for t in topic_list]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate topic ids: {duplicates}")
        analyzer = Analyzer(lexicon, max_chars=config.max_query_chars)
        document_analyzer = Analyzer(lexicon)
        weights = (
            config.title_weight,
            config.questions_weight,
            config.keywords_weight,
            config.short_weight,
            config.detail_weight,
        )
        surface: dict[str, str] = {}
        per_doc: list[list[Counter[str]]] = []
        for topic in topic_list:
            counters = []
            for text, weight in zip(_field_texts(topic), weights, strict=True):
                stems = []
                for word in document_analyzer.words(text):
                    stem = document_analyzer.stem(word)
                    if weight > 0:  # unweighted fields are not searchable, so no typo targets
                        surface.setdefault(word, stem)
                    stems.append(stem)
                counters.append(Counter(stems))
            per_doc.append(counters)

        n_docs = max(len(topic_list), 1)
        avg_len = [
            max(sum(sum(doc[f].values()) for doc in per_doc) / n_docs, 1.0)
            for f in range(len(_FIELDS))
        ]
        postings: dict[str, list[tuple[int, float]]] = {}
        for d, counters in enumerate(per_doc):
            pseudo_tf: dict[str, float] = {}
            for f, counter in enumerate(counters):
                if weights[f] == 0 or not counter:
                    continue
                norm = 1.0 - config.b + config.b * sum(counter.values()) / avg_len[f]
                for term, tf in counter.items():
                    pseudo_tf[term] = pseudo_tf.get(term, 0.0) + weights[f] * tf / norm
            for term, value in pseudo_tf.items():
                postings.setdefault(term, []).append((d, value))
        idf = {
            term: math.log(1.0 + (n_docs - len(p) + 0.5) / (len(p) + 0.5))
            for term, p in postings.items()
        }

        examples = [
            tuple(
                " ".join(document_analyzer.tokens(text))
                for text in (topic.title, *topic.questions)
            )
            for topic in topic_list
        ]
        return cls(
            topic_list,
            analyzer,
            config,
            postings,
            idf,
            surface,
            examples,
            gate=gate,
            equivalent=lexicon.equivalent,
        )

    @property
    def topics(self) -> tuple[Topic, ...]:
        """All indexed topics, in build order."""
        return self._topics

    @property
    def config(self) -> RankingConfig:
        """The configuration the index was built with."""
        return self._config

    def topic(self, topic_id: str) -> Topic:
        """Return the topic with this id.

        Raises:
            KeyError: if no topic has this id.
        """
        return self._by_id[topic_id]

    def _correct(self, word: str) -> str | None:
        """Return the vocabulary word closest to an unknown ``word``, or None.

        A close rapidfuzz ``ratio`` match wins; failing that, a vocabulary word that differs
        from ``word`` only by two adjacent letters swapped (a ratio counts that as two edits,
        which is too many for a five-letter word).
        """
        if word in self._corrections:
            return self._corrections[word]
        result: str | None = None
        if (
            len(word) >= self._config.fuzzy_min_length
            and not word.isdigit()
            and not self._analyzer.is_common(word)  # "motor" is no typo of "moto"
            and not self._analyzer.is_common(self._analyzer.stem(word))
            and self._config.fuzzy_threshold <= 100  # above 100 switches correction off
        ):
            match = process.extractOne(
                word,
                self._surface_words,
                scorer=fuzz.ratio,
                score_cutoff=self._config.fuzzy_threshold,
            )
            if match is not None:
                result = match[0]
            else:
                result = next(
                    (
                        other
                        for other in self._anagrams.get("".join(sorted(word)), ())
                        if _swapped_once(word, other)
                    ),
                    None,
                )
        if len(self._corrections) < 10_000:  # bounded memo; user input is unbounded
            self._corrections[word] = result
        return result

    def _colloquial(self, word: str) -> str | None:
        """Return the known stem of a chat verb, or None.

        Chat verbs drop the standard suffix for "-in" ("dicantumin" -> "dicantumkan") and the
        standard prefix for a bare nasal one: "nge-" ("ngelapor" -> "lapor"), "ng-" before a
        vowel or for a dropped "k" ("ngurus" -> "urus", "ngurangin" -> "kurangi"), "ny-" for
        a dropped "s" ("nyusun" -> "susun") and "n-" for a dropped "t" ("nanya" -> "tanya").
        """
        if len(word) <= 4:
            return None
        bases = [word]
        if word.startswith("nge") and len(word) > 5:
            bases.append(word[3:])
        if word.startswith("ny"):
            bases.append("s" + word[2:])
        elif word.startswith("ng"):
            bases += [word[2:], "k" + word[2:]]
        elif word.startswith("n") and word[1] in "aeiou":
            bases.append("t" + word[1:])
        for base in bases:
            forms = [base] if base is not word else []
            if len(base) > 4 and base.endswith("in"):
                forms += [base[:-2] + "kan", base[:-2] + "i"]
            for form in forms:
                stem = self._analyzer.stem(form)
                if stem in self._idf:
                    return stem
        return None

    def _query_terms(self, text: str) -> list[_QueryTerm]:
        terms: dict[str, _QueryTerm] = {}
        for word, off_topic, group in self._analyzer.grouped_words(text):
            if off_topic:
                terms["\x00" + word] = _QueryTerm(word, 0.0, off_topic=True, group=group)
                continue
            stem = self._analyzer.stem(word)
            if stem not in self._idf:
                stem = self._colloquial(word) or stem
            if stem not in self._idf and word.isalpha() and self._config.fuzzy_threshold <= 100:
                fixed = self._typos.correct(word)
                if fixed is not None and self._analyzer.is_stopword(fixed):
                    continue  # a misspelt chat or function word ("hrus", "brpa")
                if fixed is not None and self._analyzer.stem(fixed) in self._idf:
                    candidate = _QueryTerm(
                        self._analyzer.stem(fixed),
                        self._config.fuzzy_weight,
                        group=group,
                        corrected=True,
                    )
                    previous = terms.get(candidate.term)
                    if previous is None or previous.weight < candidate.weight:
                        terms[candidate.term] = candidate
                    continue
            if stem in self._idf:
                candidate = _QueryTerm(stem, 1.0, group=group)
            else:
                corrected = self._correct(word)
                if corrected is None or self._surface[corrected] not in self._idf:
                    candidate = _QueryTerm(stem, 0.0, group=group)
                else:
                    candidate = _QueryTerm(
                        self._surface[corrected],
                        self._config.fuzzy_weight,
                        group=group,
                        corrected=True,
                    )
            previous = terms.get(candidate.term)
            if previous is None or previous.weight < candidate.weight:
                terms[candidate.term] = candidate
        return list(terms.values())

    def _rank(self, terms: Sequence[_QueryTerm]) -> list[Hit]:
        config = self._config
        group_mass = self._group_mass(terms)
        mass = sum(value for _, value in group_mass.values())
        if mass <= 0:
            return []
        scores: dict[int, float] = {}
        covered_groups: dict[int, dict[int, float]] = {}  # concept -> topic -> best cover
        # Anchoring: with a specific (non-generic) word in the question, known or not, a topic
        # that matches none of the specific words is not anchored (see decide).
        anchors = self._anchors(terms)
        use_anchors = config.require_anchor and bool(anchors)
        anchored: set[int] = set()
        k1 = config.k1
        is_generic = self._analyzer.is_generic
        for qt in terms:
            if qt.weight <= 0:
                continue
            idf = self._idf[qt.term]
            cover = min(qt.weight * idf, group_mass[qt.group][1])
            anchor = use_anchors and qt.term in anchors
            # A generic word is weak evidence for ranking too ("kapan" must not pull a question
            # about the charter ceremony to the yearly timeline); coverage is unchanged.
            evidence = qt.weight * idf
            if is_generic(qt.term):
                evidence *= config.generic_weight
            postings = self._postings[qt.term]
            if anchor:
                anchored.update(d for d, _ in postings)
            group_cover = covered_groups.setdefault(qt.group, {})
            get_score, get_cover = scores.get, group_cover.get
            for d, tf in postings:
                # Saturation scaled so that one average occurrence earns exactly idf.
                scores[d] = get_score(d, 0.0) + evidence * tf * (k1 + 1.0) / (k1 + tf)
                if get_cover(d, 0.0) < cover:
                    group_cover[d] = cover
        covered: dict[int, float] = {}
        for group_cover in covered_groups.values():
            for d, value in group_cover.items():
                covered[d] = covered.get(d, 0.0) + value
        if not scores:
            return []
        self._weigh_editions(terms, scores)
        # Example similarity only for the lexical front-runners: bounds latency, and a topic
        # that shares no word with the query is not a candidate anyway.
        front = sorted(scores, key=lambda d: -scores[d])[:_SIMILARITY_POOL]
        similarity = self._similarity(" ".join(qt.term for qt in terms), front)
        # Without a coverage bonus no topic outside the front can overtake one inside it
        # (similarity only adds), so only the front becomes hits: bounds latency.
        ranked = front if config.coverage_weight == 0 else list(scores)
        hits = []
        for d in ranked:
            raw = scores[d]
            sim = similarity.get(d, 0.0)
            # Confidence: the share of the query's IDF mass this topic explains, blended with
            # how close the query is to one of the topic's example questions.
            coverage = covered[d] / mass
            score = raw / mass + config.coverage_weight * coverage + config.similarity_weight * sim
            confidence = (coverage + config.similarity_weight * sim) / (
                1.0 + config.similarity_weight
            )
            hits.append(
                Hit(
                    self._topics[d].id,
                    score,
                    min(max(confidence, 0.0), 1.0),
                    anchored=not use_anchors or d in anchored,
                    coverage=coverage,
                    similarity=sim,
                )
            )
        hits.sort(key=lambda h: (-h.score, h.topic_id))
        return hits

    def _weigh_editions(self, terms: Sequence[_QueryTerm], scores: dict[int, float]) -> None:
        """Scale down the scores of topics of other editions than the question names."""
        asked = {qt.term for qt in terms if qt.term in self._edition_years}
        factor = self._config.edition_weight
        if not asked or factor == 1.0:
            return
        for d in scores:
            editions = self._editions[d]
            if editions and not editions & asked:
                scores[d] *= factor

    def _group_mass(self, terms: Sequence[_QueryTerm]) -> dict[int, tuple[bool, float]]:
        """Per concept: (known, IDF mass). The denominator of coverage is their sum: the whole
        query, unknown words included, one share per concept (an acronym with its expansion
        weighs as much as its rarest known word)."""
        config = self._config
        group_mass: dict[int, tuple[bool, float]] = {}
        for qt in terms:
            if qt.weight > 0:
                value = self._idf[qt.term]
            elif qt.off_topic:
                value = self._unknown_idf * config.off_topic_weight
            else:
                value = self._unknown_idf * config.oov_weight
            known = qt.weight > 0
            previous = group_mass.get(qt.group)
            if previous is None or (known, value) > previous:
                group_mass[qt.group] = (known, value)
        return group_mass

    def _anchors(self, terms: Iterable[_QueryTerm]) -> set[str]:
        """The query's terms that can tie it to a topic (empty: generic words only).

        Specific terms are everything but generic words (cues and unknowns too). Among them,
        unit and place names ("puskesmas", "dukcapil") and typo-corrected words are weak: they
        anchor a topic only when the question has no other specific word, so "puskesmas buka
        jam berapa" is not tied to a topic about the units that are assessed, and "harga motor
        bekas" not to the motto topic through a "correction" of "motor".
        """
        analyzer = self._analyzer
        specific = [qt for qt in terms if qt.off_topic or not analyzer.is_generic(qt.term)]
        strong = {
            qt.term
            for qt in specific
            if qt.off_topic or not (qt.corrected or analyzer.is_unit(qt.term))
        }
        return strong or {qt.term for qt in specific}

    def _similarity(self, query: str, docs: Iterable[int]) -> dict[int, float]:
        """Best character-level similarity (0..1) of the query to each topic's examples."""
        best: dict[int, float] = {}
        if not query or self._config.similarity_weight == 0:
            return best
        for d in docs:
            match = process.extractOne(
                query, self._examples[d], scorer=fuzz.token_sort_ratio, score_cutoff=40
            )
            if match is not None:
                best[d] = match[1] / 100.0
        return best

    def normalized_query(self, text: str) -> str:
        """Return the analysed query terms joined by spaces (for logs and Decision.query)."""
        return " ".join(qt.term for qt in self._query_terms(text))

    def search(self, text: str, k: int = 5) -> list[Hit]:
        """Return up to ``k`` topics ranked for ``text``, best first."""
        return self._rank(self._query_terms(text))[:k]

    @property
    def gate(self) -> Gate | None:
        """The calibrated answer gate, or None (the hand-set thresholds of RankingConfig)."""
        return self._gate

    def primary(self, topic_id: str) -> str:
        """The primary topic of ``topic_id``'s equivalence group (itself when in none)."""
        return self._primary.get(topic_id, topic_id)

    def _features(self, terms: Sequence[_QueryTerm], hits: Sequence[Hit]) -> dict[str, float]:
        """The gate's features (``bot.domain.gate.FEATURES``) of a ranked question."""
        group_mass = self._group_mass(terms)
        mass = sum(value for _, value in group_mass.values()) or 1.0
        unknown = cue = 0.0
        for qt in terms:
            if qt.weight <= 0 and group_mass.get(qt.group, (True, 0.0))[0] is False:
                if qt.off_topic:
                    cue += self._unknown_idf * self._config.off_topic_weight
                else:
                    unknown += self._unknown_idf * self._config.oov_weight
        best = hits[0]
        group = self.primary(best.topic_id)
        second = next((h for h in hits[1:] if self.primary(h.topic_id) != group), None)
        s2 = second.score if second is not None else 0.0
        return {
            "confidence": best.confidence,
            "coverage": best.coverage,
            "similarity": best.similarity,
            "lead": (best.score - s2) / best.score if best.score > 0 else 0.0,
            "coverage_gap": best.coverage - (second.coverage if second is not None else 0.0),
            "anchored": 1.0 if best.anchored else 0.0,
            "generic_only": 0.0 if self._anchors(terms) else 1.0,
            "unknown_share": min(unknown / mass, 1.0),
            "cue_share": min(cue / mass, 1.0),
            "corrected_share": sum(qt.corrected for qt in terms) / max(len(terms), 1),
            "words": math.log1p(len(group_mass)),
            "score": min(best.score, 3.0),
        }

    def features(self, text: str) -> dict[str, float] | None:
        """The gate's features of a question, or None when no topic matches it at all."""
        terms = self._query_terms(text)
        hits = self._rank(terms)
        return self._features(terms, hits) if hits else None

    def _gated(
        self, terms: Sequence[_QueryTerm], hits: tuple[Hit, ...], gate: Gate, query: str
    ) -> Decision:
        """Answer, clarify in a narrow band, or decline (offering a plausible topic)."""
        if not hits:
            return Decision(DecisionKind.DECLINE, 0.0, query, hits=hits)
        p = gate.probability(self._features(terms, hits))
        best = self.topic(hits[0].topic_id)
        if p >= gate.threshold:
            return Decision(DecisionKind.ANSWER, p, query, topic=best, hits=hits)
        offered = best if p >= gate.offer_threshold and hits[0].anchored else None
        if p < gate.threshold - gate.clarify_band or not hits[0].anchored:
            return Decision(DecisionKind.DECLINE, p, query, hits=hits, offered=offered)
        config = self._config
        seen: set[str] = set()
        candidates: list[Topic] = []
        in_window = 0
        for h in hits:
            if h.score < (1.0 - config.clarify_window) * hits[0].score:
                continue
            in_window += 1
            group = self.primary(h.topic_id)
            if group not in seen:
                seen.add(group)
                candidates.append(self.topic(h.topic_id))
        if len(candidates) == 1:
            if in_window == 1:  # nothing to choose from: below the threshold, only offer it
                return Decision(DecisionKind.DECLINE, p, query, hits=hits, offered=offered)
            # only equivalent topics: never ask between them
            primary = self.topic(self.primary(hits[0].topic_id))
            return Decision(DecisionKind.ANSWER, p, query, topic=primary, hits=hits)
        return Decision(
            DecisionKind.CLARIFY,
            p,
            query,
            candidates=tuple(candidates[: config.max_candidates]),
            hits=hits,
        )

    def _sentences(self, text: str) -> list[str]:
        """The questions of a long chat message: its sentences of at least three words."""
        if len(text.split()) < _LONG_MESSAGE_WORDS:
            return []
        parts = [p.strip() for p in _SENTENCE_RE.split(text)]
        return [p for p in parts if len(p.split()) >= 3] if len(parts) > 1 else []

    def decide(self, text: str) -> Decision:
        """Decide whether to answer, offer candidates, decline, or reply to small talk.

        A long message (greeting, context, one or two questions) with a gate is also decided
        sentence by sentence: the most probable answer wins, and a second answered question
        on another topic comes along in ``Decision.also``.
        """
        kind = self._small_talk.detect(text)
        if kind is not None:
            return Decision(DecisionKind.SMALL_TALK, 1.0, "", small_talk=kind)
        text = self._small_talk.strip_greeting(text)
        decision = self._decide_one(text)
        if self._gate is None:
            return decision
        answered = [decision] if decision.kind is DecisionKind.ANSWER else []
        best = decision
        # Off-topic cues anywhere in the message ("kepatuhan pajak ASN: lapor SPT kapan")
        # keep its sentences from being answered on their own.
        cued = any(off_topic for _, off_topic, _ in self._analyzer.grouped_words(text))
        for sentence in () if cued else self._sentences(text):
            part = self._decide_one(sentence)
            if part.kind is DecisionKind.ANSWER:
                answered.append(part)
            if part.confidence > best.confidence and part.kind is not DecisionKind.SMALL_TALK:
                best = part
        if not answered:
            return best if best.kind is not DecisionKind.DECLINE else decision
        answered.sort(key=lambda d: -d.confidence)
        first = answered[0]
        seen = {self.primary(first.topic.id)} if first.topic else set()
        also = []
        for other in answered[1:]:
            if other.topic is not None and self.primary(other.topic.id) not in seen:
                seen.add(self.primary(other.topic.id))
                also.append(other.topic)
        return dataclasses.replace(first, query=decision.query, also=tuple(also[:1]))

    def _decide_one(self, text: str) -> Decision:
        config = self._config
        terms = self._query_terms(text)
        query = " ".join(qt.term for qt in terms)
        hits = tuple(self._rank(terms)[: max(config.max_candidates, 5)])
        if self._gate is not None:
            return self._gated(terms, hits, self._gate, query)
        if not hits or hits[0].confidence < config.clarify_threshold:
            confidence = hits[0].confidence if hits else 0.0
            return Decision(DecisionKind.DECLINE, confidence, query, hits=hits)
        best = hits[0]
        # Only generic words ("laporan hasil kerja unit"): nothing ties the question to this
        # domain but words every office uses, so never answer directly, and offer candidates
        # only when a topic explains nearly all of it ("standar pelayanan").
        generic_only = config.require_anchor and not self._anchors(terms)
        if generic_only and best.confidence < config.generic_threshold:
            return Decision(DecisionKind.DECLINE, best.confidence, query, hits=hits)
        # A best topic that shares only generic words with a question that has specific ones
        # ("standar pelayanan bengkel") is not about that question: never answered, and when
        # no candidate matches a specific word either, the question is declined.
        if not best.anchored and not any(
            h.anchored and h.confidence >= config.clarify_threshold for h in hits
        ):
            return Decision(DecisionKind.DECLINE, best.confidence, query, hits=hits)
        second = hits[1].score if len(hits) > 1 else 0.0
        lead = (best.score - second) / best.score if best.score > 0 else 0.0
        needed = (
            config.confident_margin
            if best.confidence >= config.confident_threshold
            else config.margin
        )
        if (
            best.anchored
            and not generic_only
            and best.confidence >= config.answer_threshold
            and lead >= needed
        ):
            return Decision(
                DecisionKind.ANSWER,
                best.confidence,
                query,
                topic=self.topic(best.topic_id),
                hits=hits,
            )
        candidates = tuple(
            self.topic(h.topic_id)
            for h in hits
            if h.confidence >= config.clarify_threshold
            and h.score >= (1.0 - config.clarify_window) * best.score
        )[: config.max_candidates]
        return Decision(
            DecisionKind.CLARIFY, best.confidence, query, candidates=candidates, hits=hits
        )


@dataclass(frozen=True, slots=True)
class Answer:
    """What the bot makes of one question, ready to render.

    ``topic`` is set for ANSWER, ``candidates`` for CLARIFY; ``related`` holds the answered topic's
    related topics that exist (at most three); ``query`` is the normalised question.
    """

    kind: DecisionKind
    confidence: float
    query: str
    topic: Topic | None = None
    candidates: tuple[Topic, ...] = ()
    related: tuple[Topic, ...] = ()
    hits: tuple[Hit, ...] = ()
    offered: Topic | None = None  # a plausible topic offered as a button with a DECLINE
    also: tuple[Topic, ...] = ()  # with ANSWER: the topic of a second question in the message
    small_talk: SmallTalk | None = None  # with SMALL_TALK: which kind

    @property
    def answered(self) -> bool:
        """True when the bot answers with a topic (no clarification, no decline)."""
        return self.kind is DecisionKind.ANSWER and self.topic is not None


MAX_RELATED = 3  # related-topic buttons under an answer


def to_answer(decision: Decision, index: KnowledgeIndex) -> Answer:
    """Turn an engine decision into an Answer, resolving the related topics that exist."""
    related: tuple[Topic, ...] = ()
    if decision.topic is not None:
        found = []
        for topic_id in decision.topic.related:
            try:
                found.append(index.topic(topic_id))
            except KeyError:
                continue
        related = tuple(found[:MAX_RELATED])
    return Answer(
        kind=decision.kind,
        confidence=decision.confidence,
        query=decision.query,
        topic=decision.topic,
        candidates=decision.candidates,
        related=related,
        hits=decision.hits,
        offered=decision.offered,
        also=decision.also,
        small_talk=decision.small_talk,
    )
