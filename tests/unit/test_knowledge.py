"""Unit tests for the Q&A retrieval engine (bot.domain.knowledge)."""

from __future__ import annotations

import dataclasses

import pytest

from bot.domain.knowledge import (
    Analyzer,
    DecisionKind,
    KnowledgeIndex,
    Lexicon,
    RankingConfig,
    Topic,
)

LEXICON = Lexicon(
    abbreviations={
        "yg": "yang",
        "gmn": "bagaimana",
        "brp": "berapa",
        "sm": "sama",
        "k/l": "kementerian lembaga",
    },
    acronyms={"sp": "standar pelayanan", "skm": "survei kepuasan masyarakat"},
    stem_exceptions={"berikan": "beri", "berapa": "berapa", "penilaian": "nilai"},
    stopwords=frozenset(
        {"yang", "itu", "sih", "dong", "ya", "dan", "di", "apa", "halo", "selamat", "pagi"}
    ),
)

TOPICS = (
    Topic(
        id="maklumat-pelayanan",
        title="Maklumat pelayanan",
        short="Maklumat pelayanan adalah pernyataan tertulis kesanggupan penyelenggara "
        "melaksanakan pelayanan sesuai standar pelayanan.",
        questions=("Apa yang dimaksud dengan maklumat pelayanan?", "maklumat itu apa sih"),
        keywords=("maklumat", "janji layanan", "pernyataan kesanggupan"),
    ),
    Topic(
        id="komponen-sp",
        title="Komponen standar pelayanan",
        short="Standar pelayanan terdiri atas 14 komponen menurut UU 25/2009 Pasal 21.",
        questions=("Apa saja komponen standar pelayanan?", "sp ada berapa komponen"),
        keywords=("komponen", "14 komponen", "pasal 21"),
    ),
    Topic(
        id="skm",
        title="Survei Kepuasan Masyarakat",
        short="SKM wajib dilakukan minimal sekali setahun dengan 9 unsur, lalu ditindaklanjuti.",
        questions=("Apa itu SKM?", "berapa kali skm harus dilakukan"),
        keywords=("skm", "ikm", "kepuasan", "9 unsur"),
    ),
    Topic(
        id="kompensasi",
        title="Kompensasi pelayanan",
        short="Kompensasi diberikan kepada pengguna bila pelayanan tidak sesuai standar.",
        questions=("Apa itu kompensasi pelayanan?", "kompensasi diberikan kapan"),
        keywords=("kompensasi", "ganti rugi"),
    ),
    Topic(
        id="kategori-a-e",
        title="Kategori nilai A sampai E",
        short="Nilai penilaian kepatuhan dikelompokkan ke kategori A sampai E dan tiga zona.",
        questions=("Berapa nilai minimal kategori A?", "kategori penilaian ada apa saja"),
        keywords=("kategori", "zona hijau", "zona kuning", "zona merah", "opini"),
    ),
    Topic(
        id="kategori-2025",
        title="Kategori opini penilaian 2025",
        short="Mulai 2025 hasil penilaian berupa opini Ombudsman RI dengan kategori kualitas.",
        questions=("Apa kategori opini penilaian 2025?", "kategori hasil 2025 apa saja"),
        keywords=("opini", "kategori", "2025"),
    ),
)


@pytest.fixture(scope="module")
def index() -> KnowledgeIndex:
    return KnowledgeIndex.build(TOPICS, LEXICON)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(LEXICON)


# --- analyzer -----------------------------------------------------------------------------


def test_analyzer_case_folds_and_normalises_nfkc(analyzer: Analyzer) -> None:
    # Full-width letters and the "ﬁ" ligature become plain ASCII under NFKC.
    assert analyzer.normalize("ＭＡＫＬＵＭＡＴ ﬁle") == ["maklumat", "file"]


def test_analyzer_strips_punctuation_and_emoji(analyzer: Analyzer) -> None:
    assert analyzer.normalize("Maklumat?!! 🙏🙏 (wajib) 👍🏽...") == ["maklumat", "wajib"]


def test_analyzer_expands_chat_abbreviations(analyzer: Analyzer) -> None:
    assert analyzer.words("gmn brp") == ["bagaimana", "berapa"]


def test_analyzer_expands_multi_token_abbreviation(analyzer: Analyzer) -> None:
    assert analyzer.words("unit K/L") == ["unit", "kementerian", "lembaga"]


def test_analyzer_keeps_acronym_and_adds_expansion(analyzer: Analyzer) -> None:
    assert analyzer.words("SP") == ["sp", "standar", "pelayanan"]


def test_analyzer_drops_stopwords_after_expansion(analyzer: Analyzer) -> None:
    assert analyzer.words("maklumat yg itu sih") == ["maklumat"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("berikan", "beri"),
        ("berapa", "berapa"),
        ("penilaian", "nilai"),
        ("bagaimana", "bagaimana"),
    ],
)
def test_analyzer_honours_stem_exceptions(analyzer: Analyzer, word: str, expected: str) -> None:
    assert analyzer.tokens(word) == [expected]


def test_stemmer_without_exceptions_over_stems() -> None:
    # Documents why the exception list exists.
    assert Analyzer(Lexicon()).tokens("berikan berapa") == ["ikan", "apa"]


def test_analyzer_stems_regular_words(analyzer: Analyzer) -> None:
    assert analyzer.tokens("persyaratan pelayanan") == ["syarat", "layan"]


def test_analyzer_truncates_long_input() -> None:
    bounded = Analyzer(LEXICON, max_chars=22)
    # 22 characters end inside the third "maklumat"; the partial word is dropped.
    assert bounded.normalize("maklumat " * 1000) == ["maklumat", "maklumat"]


# --- ranking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("apa itu maklumat pelayanan", "maklumat-pelayanan"),
        ("SP ada brp komponen?", "komponen-sp"),
        ("standar pelayanan terdiri dari komponen apa", "komponen-sp"),
        ("skm brp kali setahun", "skm"),
        ("kapan kompensasi diberikan ke pengguna", "kompensasi"),
        ("nilai minimal kategori A", "kategori-a-e"),
        ("opini 2025 kategorinya apa", "kategori-2025"),
    ],
)
def test_search_ranks_expected_topic_first(
    index: KnowledgeIndex, question: str, expected: str
) -> None:
    assert index.search(question)[0].topic_id == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("maklumt pelayann", "maklumat-pelayanan"),
        ("kompnsasi itu apa", "kompensasi"),
        ("survei kepuasn masyarakt", "skm"),
    ],
)
def test_search_tolerates_typos(index: KnowledgeIndex, question: str, expected: str) -> None:
    assert index.search(question)[0].topic_id == expected


def test_typo_correction_can_be_switched_off(index: KnowledgeIndex) -> None:
    strict = KnowledgeIndex.build(TOPICS, LEXICON, RankingConfig(fuzzy_threshold=101))
    assert strict.search("kompnsasi") == []
    assert index.search("kompnsasi")[0].topic_id == "kompensasi"


def test_search_respects_k_and_orders_by_score(index: KnowledgeIndex) -> None:
    hits = index.search("kategori opini nilai", k=2)
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score
    assert all(0.0 <= h.confidence <= 1.0 for h in hits)


def test_field_weights_change_ranking() -> None:
    # "opini" is a keyword of both category topics; the title of kategori-2025 says "opini".
    titles_only = RankingConfig(
        title_weight=5.0,
        questions_weight=0.0,
        keywords_weight=0.0,
        short_weight=0.0,
        detail_weight=0.0,
        similarity_weight=0.0,
    )
    index = KnowledgeIndex.build(TOPICS, LEXICON, titles_only)
    assert [h.topic_id for h in index.search("opini")] == ["kategori-2025"]


def test_build_rejects_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="maklumat-pelayanan"):
        KnowledgeIndex.build([TOPICS[0], TOPICS[0]], LEXICON)


# --- decisions ----------------------------------------------------------------------------


def test_decide_answers_clear_question(index: KnowledgeIndex) -> None:
    decision = index.decide("Apa yang dimaksud dengan maklumat pelayanan?")
    assert decision.kind is DecisionKind.ANSWER
    assert decision.topic is not None and decision.topic.id == "maklumat-pelayanan"
    assert decision.confidence >= index.config.answer_threshold


def test_decide_clarifies_between_close_topics() -> None:
    # Both category topics carry "kategori" in title, questions and keywords.
    index = KnowledgeIndex.build(TOPICS, LEXICON, RankingConfig(margin=0.5))
    decision = index.decide("kategori")
    assert decision.kind is DecisionKind.CLARIFY
    ids = [t.id for t in decision.candidates]
    assert set(ids[:2]) == {"kategori-a-e", "kategori-2025"}
    assert len(ids) <= 3


@pytest.mark.parametrize(
    "question",
    [
        "berapa gaji pokok PNS golongan tiga tahun depan",
        "cuaca besok hujan tidak",
        "cara mengajukan cuti tahunan pegawai",
        "halo selamat pagi",
    ],
)
def test_decide_declines_out_of_scope(index: KnowledgeIndex, question: str) -> None:
    decision = index.decide(question)
    assert decision.kind is DecisionKind.DECLINE
    assert decision.topic is None and decision.candidates == ()


@pytest.mark.parametrize("question", ["", "   ", "🙏🙏🙏", "?!...", "👍🏽 😀"])
def test_decide_declines_empty_or_emoji_only(index: KnowledgeIndex, question: str) -> None:
    decision = index.decide(question)
    assert decision.kind is DecisionKind.DECLINE
    assert decision.confidence == 0.0
    assert decision.query == ""


def test_decide_reports_normalised_query(index: KnowledgeIndex) -> None:
    assert index.decide("Maklumat yg 🙏 itu apa?").query == "maklumat"


def test_decide_truncates_very_long_input(index: KnowledgeIndex) -> None:
    # The real question sits beyond the bound, so only the leading noise is analysed.
    config = dataclasses.replace(RankingConfig(), max_query_chars=100)
    bounded = KnowledgeIndex.build(TOPICS, LEXICON, config)
    text = "?" * 200 + " maklumat pelayanan"
    assert bounded.decide(text).kind is DecisionKind.DECLINE
    assert index.decide(text).kind is DecisionKind.ANSWER


def test_decide_handles_huge_input(index: KnowledgeIndex) -> None:
    decision = index.decide("maklumat pelayanan " * 50_000)
    assert decision.kind is DecisionKind.ANSWER
    assert len(decision.query.split()) <= 2


# --- English words and off-topic cues (lexicon content) --------------------------------------


def _index_with(**lexicon: object) -> KnowledgeIndex:
    return KnowledgeIndex.build(TOPICS, dataclasses.replace(LEXICON, **lexicon))  # type: ignore[arg-type]


def test_english_words_are_mapped_to_indonesian_and_function_words_dropped() -> None:
    english = {
        "what": "",
        "is": "",
        "a": "",
        "service standard": "standar pelayanan",
        "components": "komponen",
        "compensation": "kompensasi",
    }
    analyzer = Analyzer(dataclasses.replace(LEXICON, english=english))
    assert analyzer.words("What is a compensation?") == ["kompensasi"]
    assert analyzer.words("service standard components") == ["standar", "pelayanan", "komponen"]
    index = _index_with(english=english)
    assert index.search("service standard components")[0].topic_id == "komponen-sp"
    # Without the mapping the same question finds nothing it can answer.
    assert (
        KnowledgeIndex.build(TOPICS, LEXICON).decide("compensation").kind is DecisionKind.DECLINE
    )
    assert index.decide("compensation").topic is not None


def test_acronyms_win_over_english_entries() -> None:
    analyzer = Analyzer(dataclasses.replace(LEXICON, english={"sp": "", "skm": "survey"}))
    assert analyzer.words("sp") == ["sp", "standar", "pelayanan"]


def test_off_topic_cue_lowers_confidence_and_is_never_matched() -> None:
    plain = KnowledgeIndex.build(TOPICS, LEXICON)
    question = "kompensasi pelayanan survei"
    before = plain.decide(question)
    # "survei" is a known word; as a cue it no longer matches and counts against coverage.
    cued = _index_with(off_topic=frozenset({"survei"}))
    after = cued.decide(question)
    assert after.confidence < before.confidence
    assert all(h.topic_id != "skm" for h in after.hits)
    assert cued.decide("survei").kind is DecisionKind.DECLINE
    assert plain.decide("survei").kind is not DecisionKind.DECLINE
    heavier = KnowledgeIndex.build(
        TOPICS,
        dataclasses.replace(LEXICON, off_topic=frozenset({"survei"})),
        RankingConfig(off_topic_weight=4.0),
    )
    assert heavier.decide(question).confidence < after.confidence


def test_off_topic_cue_only_counts_when_typed_not_when_expanded() -> None:
    analyzer = Analyzer(
        dataclasses.replace(
            LEXICON, acronyms={"skp": "sasaran kinerja pegawai"}, off_topic=frozenset({"kinerja"})
        )
    )
    assert analyzer.query_words("skp kinerja") == [
        ("skp", False),
        ("sasaran", False),
        ("kinerja", False),
        ("pegawai", False),
        ("kinerja", True),
    ]


def test_off_topic_phrase_is_one_cue_matched_before_expansions() -> None:
    analyzer = Analyzer(
        dataclasses.replace(
            LEXICON,
            off_topic=frozenset({"reformasi birokrasi", "nomor wa"}),
            abbreviations={"wa": "whatsapp"},
        )
    )
    assert analyzer.query_words("nilai reformasi birokrasi") == [
        ("nilai", False),
        ("reformasi birokrasi", True),
    ]
    assert analyzer.query_words("nomor WA dinas") == [("nomor wa", True), ("dinas", False)]
    assert analyzer.query_words("reformasi") == [("reformasi", False)]


# --- concepts, chat verbs, swapped letters, confident near-ties ------------------------------


def test_acronym_and_its_expansion_are_one_concept(analyzer: Analyzer) -> None:
    words = analyzer.grouped_words("komponen SP brp")
    groups = {word: group for word, _, group in words}
    assert groups["sp"] == groups["standar"] == groups["pelayanan"]
    assert len({groups["komponen"], groups["sp"], groups["berapa"]}) == 3
    # Abbreviations are spelling, not concepts: "k/l" gives two separate words.
    kl = {word: group for word, _, group in analyzer.grouped_words("unit K/L")}
    assert kl["kementerian"] != kl["lembaga"]


def test_expansion_does_not_outweigh_an_off_topic_cue() -> None:
    # A long acronym expansion used to add its words to the matched share of the question,
    # drowning the cue; as one concept it weighs as much as its rarest known word.
    lexicon = dataclasses.replace(
        LEXICON,
        acronyms={**LEXICON.acronyms, "ikm": "indeks kepuasan masyarakat survei kepuasan"},
        off_topic=frozenset({"nomor wa"}),
    )
    index = KnowledgeIndex.build(TOPICS, lexicon)
    assert index.decide("nomor WA ikm").kind is DecisionKind.DECLINE
    assert index.decide("ikm").kind is not DecisionKind.DECLINE


def test_chat_in_verbs_find_their_standard_form() -> None:
    topics = (
        *TOPICS,
        Topic(
            id="jangka-waktu",
            title="Jangka waktu penyelesaian",
            short="Jangka waktu dicantumkan di standar pelayanan.",
            questions=("jangka waktu harus dicantumkan?",),
        ),
    )
    index = KnowledgeIndex.build(topics, LEXICON)
    hits = index.search("dicantumin")
    assert hits and hits[0].topic_id == "jangka-waktu"
    assert index.search("dicantumin")[0].confidence == index.search("dicantumkan")[0].confidence


def test_swapped_letters_are_corrected_even_in_short_words(index: KnowledgeIndex) -> None:
    # fuzz.ratio counts a swap as two edits (80 for five letters, under the threshold).
    assert index.search("opnii")[0].topic_id in {"kategori-a-e", "kategori-2025"}
    assert index.search("xyzzy") == []


def test_confident_best_topic_needs_a_smaller_lead() -> None:
    question = "kategori opini 2025"
    strict = KnowledgeIndex.build(
        TOPICS, LEXICON, RankingConfig(margin=0.9, confident_margin=0.9)
    ).decide(question)
    relaxed = KnowledgeIndex.build(
        TOPICS, LEXICON, RankingConfig(margin=0.9, confident_margin=0.0)
    ).decide(question)
    assert strict.kind is DecisionKind.CLARIFY
    assert relaxed.kind is DecisionKind.ANSWER and relaxed.confidence >= 0.7
    assert relaxed.topic is not None and relaxed.topic.id == "kategori-2025"


# --- generic words and anchoring ------------------------------------------------------------

GENERIC = frozenset({"pelayanan", "standar", "nilai", "penilaian", "hasil", "kapan", "apa"})


def _generic_index(**config: object) -> KnowledgeIndex:
    return KnowledgeIndex.build(
        TOPICS,
        dataclasses.replace(LEXICON, generic=GENERIC),
        RankingConfig(**config),  # type: ignore[arg-type]
    )


def test_analyzer_knows_generic_words_as_index_terms() -> None:
    analyzer = Analyzer(dataclasses.replace(LEXICON, generic=frozenset({"Penilaian", "hasil"})))
    assert analyzer.is_generic("nilai")  # stemmed like the index ("penilaian" -> "nilai")
    assert analyzer.is_generic("hasil")
    assert not analyzer.is_generic("maklumat")
    assert not Analyzer(LEXICON).is_generic("hasil")


def test_best_topic_matching_only_generic_words_is_not_answered() -> None:
    # "opini" is the specific word; the best topic shares only "standar pelayanan" with it.
    question = "standar pelayanan opini"
    plain = KnowledgeIndex.build(TOPICS, LEXICON)
    assert plain.decide(question).kind is DecisionKind.ANSWER
    decision = _generic_index().decide(question)
    assert decision.hits[0].topic_id == "komponen-sp" and not decision.hits[0].anchored
    assert decision.kind is DecisionKind.DECLINE
    # Turning the rule off restores the old behaviour.
    off = _generic_index(require_anchor=False).decide(question)
    assert off.kind is DecisionKind.ANSWER and off.hits[0].anchored


def test_anchored_topic_still_answers_among_generic_words() -> None:
    decision = _generic_index().decide("standar pelayanan ganti rugi")
    assert decision.kind is DecisionKind.ANSWER
    assert decision.topic is not None and decision.topic.id == "kompensasi"


def test_question_of_generic_words_only_is_never_answered_directly() -> None:
    plain = KnowledgeIndex.build(TOPICS, LEXICON)
    assert plain.decide("hasil penilaian").kind is DecisionKind.ANSWER
    assert plain.decide("kapan hasil penilaian").kind is DecisionKind.ANSWER
    index = _generic_index()
    # A topic explaining nearly all of it is offered as a candidate, never answered...
    clarify = index.decide("hasil penilaian")
    assert clarify.kind is DecisionKind.CLARIFY and clarify.confidence >= 0.7
    # ...and below generic_threshold the question is declined.
    assert index.decide("kapan hasil penilaian").kind is DecisionKind.DECLINE
    assert _generic_index(generic_threshold=0.5).decide("kapan hasil penilaian").kind is (
        DecisionKind.CLARIFY
    )


def test_chat_reduplication_mark_is_dropped(analyzer: Analyzer) -> None:
    assert analyzer.words("komponen2 maklumat2") == ["komponen", "maklumat"]
    # Digits elsewhere, short tokens and lexicon keys are left alone.
    assert analyzer.words("k2 25 2025") == ["k2", "25", "2025"]
    keyed = Analyzer(dataclasses.replace(LEXICON, abbreviations={"rata2": "rata-rata"}))
    assert keyed.words("rata2") == ["rata", "rata"]


# --- round 3: unit names, common words, weak typo corrections, chat prefixes ------------------

UNIT_TOPICS = (
    *TOPICS,
    Topic(
        id="unit-dinilai",
        title="Unit yang dinilai",
        short="Yang dinilai: dinas kesehatan dan puskesmas, dinas pendidikan, disdukcapil.",
        questions=("unit apa saja yang dinilai", "puskesmas ikut dinilai?"),
        keywords=("puskesmas", "dukcapil", "unit dinilai"),
    ),
    Topic(
        id="hasil-bontang",
        title="Hasil penilaian Kota Bontang",
        short="Bontang mendapat kategori A pada 2023.",
        questions=("nilai bontang berapa",),
        keywords=("bontang",),
    ),
    Topic(
        id="kunjungan",
        title="Kunjungan tim",
        short="Tim datang ke unit.",
        detail="Kunjungan berlangsung sekitar dua jam saat kantor buka.",
        questions=("kapan tim datang",),
    ),
)
UNITS = frozenset({"puskesmas", "dukcapil", "bontang"})


def _unit_index(units: frozenset[str] = UNITS) -> KnowledgeIndex:
    lexicon = dataclasses.replace(LEXICON, generic=GENERIC, units=units)
    return KnowledgeIndex.build(UNIT_TOPICS, lexicon)


def test_unit_name_does_not_anchor_a_question_about_the_units_own_business() -> None:
    question = "puskesmas buka"  # "buka" is known (the visit topic) but not about assessment
    without = _unit_index(frozenset()).decide(question)
    assert without.topic is not None and without.topic.id == "unit-dinilai"  # by "puskesmas"
    decision = _unit_index().decide(question)
    assert decision.hits[0].topic_id == "unit-dinilai" and not decision.hits[0].anchored
    assert decision.kind is DecisionKind.DECLINE


def test_unit_name_still_anchors_when_it_is_the_only_specific_word() -> None:
    decision = _unit_index().decide("hasil bontang")
    assert decision.hits[0].topic_id == "hasil-bontang" and decision.hits[0].anchored
    assert decision.kind is not DecisionKind.DECLINE
    # And a question naming a unit next to a word of the topic is still answered.
    assert _unit_index().search("puskesmas dinilai")[0].topic_id == "unit-dinilai"


def test_analyzer_knows_unit_names_as_index_terms() -> None:
    analyzer = Analyzer(dataclasses.replace(LEXICON, units=frozenset({"Puskesmas", "kesehatan"})))
    assert analyzer.is_unit("puskesmas") and analyzer.is_unit(analyzer.stem("kesehatan"))
    assert not analyzer.is_unit("maklumat")


MOTO = Topic(
    id="moto",
    title="Moto pelayanan",
    short="Moto pelayanan adalah slogan singkat unit.",
    questions=("moto pelayanan wajib ada?",),
    keywords=("moto", "motto", "slogan"),
)


def test_common_word_is_never_corrected_into_a_domain_word() -> None:
    plain = KnowledgeIndex.build((*TOPICS, MOTO), LEXICON)
    assert "moto" in plain.normalized_query("harga motor bekas").split()
    guarded = KnowledgeIndex.build(
        (*TOPICS, MOTO), dataclasses.replace(LEXICON, common=frozenset({"motor", "bekas"}))
    )
    assert guarded.normalized_query("harga motor bekas").split() == ["harga", "motor", "bekas"]
    assert guarded.decide("harga motor bekas").kind is DecisionKind.DECLINE
    # A real typo of a domain word is still corrected.
    assert guarded.search("mottto pelayanan")[0].topic_id == "moto"


def test_corrected_word_anchors_only_when_nothing_else_does() -> None:
    lexicon = dataclasses.replace(LEXICON, generic=GENERIC)
    index = KnowledgeIndex.build((*TOPICS, MOTO), lexicon)
    # "motor" is corrected to "moto", but "mogok" is a specific word no topic matches.
    decision = index.decide("motor mogok")
    assert decision.hits and decision.hits[0].topic_id == "moto"
    assert not decision.hits[0].anchored and decision.kind is DecisionKind.DECLINE
    # Alone (or among generic words), a corrected word still ties the question to its topic.
    alone = index.decide("maklumt pelayanan")
    assert alone.hits[0].topic_id == "maklumat-pelayanan" and alone.hits[0].anchored


@pytest.mark.parametrize(
    ("chat", "standard"),
    [("ngelapor", "lapor"), ("nyusun", "susun"), ("ngurus", "urus"), ("nanya", "tanya")],
)
def test_chat_nasal_prefixes_find_their_standard_form(chat: str, standard: str) -> None:
    topic = Topic(
        id="t",
        title="Contoh",
        short=f"Cara {standard} dijelaskan di sini.",
        questions=(f"bagaimana cara {standard}",),
    )
    index = KnowledgeIndex.build((*TOPICS, topic), LEXICON)
    assert index.normalized_query(chat) == index.normalized_query(standard)
    assert index.search(chat)[0].topic_id == "t"


def test_generic_words_weigh_less_in_the_ranking() -> None:
    topics = (
        *TOPICS,
        Topic(
            id="jadwal",
            title="Jadwal tahunan",
            short="Kapan penilaian: jadwal tahunan.",
            keywords=("kapan", "jadwal", "hasil penilaian"),
            questions=("kapan penilaian", "kapan hasil penilaian diumumkan"),
        ),
        Topic(
            id="piagam",
            title="Piagam",
            short="Piagam diserahkan setelah pengumuman.",
            keywords=("piagam",),
            questions=("piagam itu apa",),
        ),
    )
    lexicon = dataclasses.replace(LEXICON, generic=GENERIC)
    question = "kapan hasil penilaian piagam"
    full = KnowledgeIndex.build(topics, lexicon, RankingConfig(generic_weight=1.0))
    weak = KnowledgeIndex.build(topics, lexicon, RankingConfig(generic_weight=0.3))
    assert full.search(question)[0].topic_id == "jadwal"
    assert weak.search(question)[0].topic_id == "piagam"
    # Coverage, hence confidence, is the same either way.
    assert {h.topic_id: h.confidence for h in full.search(question)} == {
        h.topic_id: h.confidence for h in weak.search(question)
    }
