"""Unit tests for chat-Indonesian typo correction and small talk (bot.domain.typos, smalltalk)."""

from __future__ import annotations

import pytest

from bot.domain.knowledge import DecisionKind, KnowledgeIndex, Lexicon, Topic
from bot.domain.smalltalk import SmallTalk, SmallTalkDetector
from bot.domain.typos import TypoCorrector, damerau1

VOCABULARY = {
    "pengaduan": 20.0,
    "jawaban": 5.0,
    "proses": 12.0,
    "bobot": 9.0,
    "unsur": 4.0,
    "opini": 7.0,
    "syarat": 6.0,
    "harus": 1000.0,
    "besok": 0.5,
    "moto": 2.0,
}


@pytest.fixture(scope="module")
def typos() -> TypoCorrector:
    return TypoCorrector(VOCABULARY, protected=frozenset({"motor"}))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("pngaduan", "pengaduan"),  # dropped vowels
        ("jwbn", "jawaban"),
        ("prses", "proses"),
        ("hrus", "harus"),  # short word
        ("bobt", "bobot"),
        ("unsru", "unsur"),  # swapped letters
        ("bobor", "bobot"),  # keyboard slip
        ("opininy", "opini"),  # suffix stripped before correcting
        ("syartnya", "syarat"),
        ("pengaduannya", "pengaduan"),
    ],
)
def test_chat_spellings_are_corrected(typos: TypoCorrector, typed: str, meant: str) -> None:
    assert typos.correct(typed) == meant


@pytest.mark.parametrize("word", ["motor", "proses", "xyzzy", "ab", "2025", "zzzz"])
def test_known_protected_and_hopeless_words_are_left_alone(
    typos: TypoCorrector, word: str
) -> None:
    assert typos.correct(word) is None


def test_damerau_distance_one() -> None:
    assert damerau1("unsru", "unsur") and damerau1("bobt", "bobot") and damerau1("bobor", "bobot")
    assert not damerau1("bobot", "bobot") and not damerau1("abcd", "badc")


TOPICS = (
    Topic(
        id="maladministrasi",
        title="Contoh maladministrasi",
        short="Contoh maladministrasi: penundaan berlarut, pungli, diskriminasi.",
        questions=("contoh maladministrasi apa saja",),
        keywords=("maladministrasi", "contoh"),
    ),
    Topic(
        id="pengaduan",
        title="Pengelolaan pengaduan",
        short="Pengaduan dikelola lewat SP4N-LAPOR! dan kanal unit.",
        questions=("bagaimana mengelola pengaduan",),
        keywords=("pengaduan", "keluhan"),
    ),
)
LEXICON = Lexicon(
    abbreviations={"gmn": "bagaimana", "tu": "itu", "aja": "saja", "krn": "karena"},
    stopwords=frozenset({"itu", "saja", "apa", "sih", "dong", "nih", "karena", "harus", "yang"}),
    small_talk={
        "greeting": ("halo", "selamat pagi", "pagi"),
        "thanks": ("makasih", "terima kasih"),
        "who": ("siapa kamu", "kamu siapa"),
        "capabilities": ("kamu bisa apa",),
    },
)


@pytest.fixture(scope="module")
def index() -> KnowledgeIndex:
    return KnowledgeIndex.build(TOPICS, LEXICON)


def test_chat_particles_never_count_against_a_question(index: KnowledgeIndex) -> None:
    plain = index.search("contoh maladministrasi")[0]
    chatty = index.search("maladministrasi tu contohnya apa aja sih dong")[0]
    assert chatty.topic_id == plain.topic_id == "maladministrasi"
    assert chatty.coverage == pytest.approx(plain.coverage)


def test_misspelt_function_word_is_dropped_not_unknown(index: KnowledgeIndex) -> None:
    assert index.normalized_query("pngaduan hrus") == index.normalized_query("pengaduan")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("halo", SmallTalk.GREETING),
        ("Halo bot, selamat pagi!", SmallTalk.GREETING),
        ("makasih ya kak 🙏", SmallTalk.THANKS),
        ("kamu siapa?", SmallTalk.WHO),
        ("halo, kamu bisa apa?", SmallTalk.CAPABILITIES),
    ],
)
def test_small_talk_is_recognised(text: str, kind: SmallTalk) -> None:
    detector = SmallTalkDetector(LEXICON.small_talk)
    assert detector.detect(text) is kind


def test_small_talk_with_a_question_is_a_question(index: KnowledgeIndex) -> None:
    detector = SmallTalkDetector(LEXICON.small_talk)
    assert detector.detect("halo, contoh maladministrasi apa aja?") is None
    assert detector.strip_greeting("Halo, selamat pagi. Contoh maladministrasi?") == (
        "Contoh maladministrasi?"
    )
    assert detector.strip_greeting("contoh halo") == "contoh halo"
    decision = index.decide("makasih")
    assert decision.kind is DecisionKind.SMALL_TALK and decision.small_talk is SmallTalk.THANKS
    assert decision.query == ""  # nothing to record as a content gap
