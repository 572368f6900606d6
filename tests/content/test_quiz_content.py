"""Shipped quiz content: drills big enough per role and edition, topics that exist and cover the
domain brief, rounds without a repeated topic, explanations that tell certainty truthfully."""

from __future__ import annotations

import re
from collections import Counter
from random import Random

import pytest

from bot.content.bundle import ContentBundle, load_content
from bot.domain.quiz import (
    DRILLS,
    QUIZ_LENGTH,
    QuestionHistory,
    QuizQuestion,
    questions_for,
    select_questions,
)
from tests.conftest import CONTENT

# A question is specific to a role when at most two roles share it.
ROLE_SPECIFIC_MIN = {"pengelola-pengaduan": 30, "front-office": 30}
# Pimpinan and penanggung-jawab drills: questions in one drill and not in the other.
DISTINCT_MIN = 25
EDITION_MIN = {"2025": 25}

# Main sections of the domain brief (shared/domain/ombudsman-assessment.md) -> the topics that
# carry them. Every topic listed here must be asked about by at least one question.
BRIEF_SECTIONS: dict[str, tuple[str, ...]] = {
    "1 what the assessment is, its names and editions": (
        "penilaian-kepatuhan",
        "sejarah-penilaian",
        "tim-penilai",
        "perbedaan-edisi",
        "ombudsman-ri",
    ),
    "2.1 statutes and regulations": (
        "uu-37-2008",
        "uu-25-2009",
        "pp-96-2012",
        "perpres-76-2013",
        "pengelolaan-pengaduan",
        "sp4n-lapor",
        "permenpanrb-15-2014",
        "permenpanrb-14-2017",
        "pekppp",
        "rpjmn",
        "uu-8-2016",
        "dasar-hukum-penilaian",
        "rekomendasi-ombudsman",
    ),
    "2.2 Peraturan Ombudsman": (
        "po-22-2016",
        "po-22-2023",
        "po-61-2025",
        "peraturan-ombudsman-lain",
    ),
    "2.3 service standard, maklumat, vulnerable groups, maladministration": (
        "standar-pelayanan",
        "komponen-sp",
        "sp-dasar-hukum",
        "sp-persyaratan",
        "sp-prosedur",
        "sp-jangka-waktu",
        "sp-biaya",
        "sp-produk",
        "sp-sarana-prasarana",
        "sp-kompetensi-pelaksana",
        "sp-pengawasan-internal",
        "sp-penanganan-pengaduan",
        "sp-jumlah-pelaksana",
        "sp-jaminan-pelayanan",
        "sp-jaminan-keamanan",
        "sp-evaluasi-kinerja",
        "sp-service-delivery-manufacturing",
        "penyusunan-sp",
        "maklumat-pelayanan",
        "maklumat-unsur",
        "kompensasi",
        "kelompok-rentan",
        "maladministrasi",
        "bentuk-maladministrasi",
        "mal-penundaan-berlarut",
        "mal-tidak-memberikan-pelayanan",
        "mal-tidak-kompeten",
        "mal-penyalahgunaan-wewenang",
        "mal-penyimpangan-prosedur",
        "mal-permintaan-imbalan",
        "mal-tidak-patut",
        "mal-berpihak",
        "mal-diskriminasi",
        "mal-konflik-kepentingan",
    ),
    "3.1-3.2 coverage and the units assessed": (
        "lokus-penilaian",
        "apa-itu-lokus",
        "unit-dinilai-pemda",
        "produk-layanan-dinilai",
        "instansi-vertikal",
        "apa-itu-opd",
    ),
    "3.3-3.6 editions 2021-2024, dimensions and indicators": (
        "edisi-2021",
        "edisi-2022-2024",
        "metode-pengumpulan-data",
        "responden-wawancara",
        "kunjungan-lapangan",
        "dimensi-input",
        "dimensi-proses",
        "dimensi-output",
        "dimensi-pengaduan",
        "bobot-dimensi",
        "variabel-kompetensi-pelaksana",
        "variabel-sarana-prasarana",
        "ind-pengetahuan-komponen-sp",
        "ind-pengetahuan-tugas",
        "ind-pengetahuan-ombudsman",
        "ind-pengetahuan-maladministrasi",
        "ind-pengetahuan-rekomendasi",
        "ind-pengetahuan-kelompok-rentan",
        "ind-penjaminan-mutu-kompensasi",
        "ind-sarpras-khusus",
        "ind-penyuluhan",
        "ind-maklumat",
        "ind-pelayanan-khusus",
        "ind-visi-misi",
        "ind-moto",
        "ind-atribut",
        "ind-pelayanan-terpadu",
        "ind-publikasi-elektronik",
        "ind-persepsi-maladministrasi",
        "ind-pengelolaan-pengaduan",
        "spm",
        "variabel-substantif",
        "lahp-tindakan-korektif",
    ),
    "3.7 the 2025 method": (
        "edisi-2025",
        "dimensi-2025",
        "kepercayaan-masyarakat",
        "survei-pmkm",
    ),
    "3.8 scoring and aggregation": (
        "skala-interval-0-3",
        "bobot-indikator",
        "cara-hitung-nilai",
        "nilai-pemda-rata-rata",
    ),
    "4 categories, opinions, zones": (
        "zona-2021",
        "kategori-a-e",
        "batas-kategori-a",
        "saran-ombudsman-hasil",
        "opini-2025",
        "tanpa-maladministrasi",
        "rapor-piagam",
    ),
    "5 national results": ("hasil-nasional", "hasil-bontang"),
    "6 evidence and typical deficiencies": (
        "bukti-dukung",
        "kekurangan-umum",
        "abk",
        "petugas-pengaduan",
        "persiapan-penilaian",
        "sop",
    ),
    "7 yearly timeline": ("jadwal-tahunan",),
    "9 adjacent evaluations": ("skm", "ikm-rumus", "zona-integritas", "inperma"),
    "10 glossary": ("glosarium", "mpp", "sippn", "lapor-ke-ombudsman"),
}

CAVEATS = (
    "belum",
    "dugaan",
    "tidak ditemukan",
    "tidak dipublikasikan",
    "konfirmasi",
    "satu sumber",
    "satu paparan",
)
SCALE_0_3 = re.compile(r"(?<![\d,])0\s*[–-]\s*3(?![\d,])")


@pytest.fixture(scope="module")
def bundle() -> ContentBundle:
    return load_content(CONTENT)


def _specific(questions: tuple[QuizQuestion, ...], role: str) -> list[QuizQuestion]:
    return [q for q in questions if role in q.roles and len(q.roles) <= 2]


def test_role_and_edition_counts(bundle: ContentBundle) -> None:
    questions = bundle.quizzes
    for role, minimum in ROLE_SPECIFIC_MIN.items():
        count = len(_specific(questions, role))
        assert count >= minimum, f"{role}: {count} role-specific questions, need {minimum}"
    lead = {q.id for q in questions_for(questions, "pimpinan")}
    service = {q.id for q in questions_for(questions, "penanggung-jawab")}
    assert len(lead - service) >= DISTINCT_MIN, len(lead - service)
    assert len(service - lead) >= DISTINCT_MIN, len(service - lead)
    per_edition = Counter(year for q in questions for year in q.editions)
    for year, minimum in EDITION_MIN.items():
        assert per_edition[year] >= minimum, f"edition {year}: {per_edition[year]} questions"


def test_every_question_topic_exists(bundle: ContentBundle) -> None:
    topic_ids = {t.id for t in bundle.topics}
    assert not [q.id for q in bundle.quizzes if q.topic not in topic_ids]


def test_every_topic_of_the_brief_has_a_question(bundle: ContentBundle) -> None:
    topic_ids = {t.id for t in bundle.topics}
    asked = {q.topic for q in bundle.quizzes}
    mapped = {topic for topics in BRIEF_SECTIONS.values() for topic in topics}
    assert not mapped - topic_ids, f"mapping names unknown topics: {sorted(mapped - topic_ids)}"
    missing = {
        section: [t for t in topics if t not in asked]
        for section, topics in BRIEF_SECTIONS.items()
        if any(t not in asked for t in topics)
    }
    assert not missing, missing


@pytest.mark.parametrize("drill", DRILLS)
def test_rounds_never_repeat_a_topic(bundle: ContentBundle, drill: str) -> None:
    pool = questions_for(bundle.quizzes, drill)
    for seed in range(150):
        rng = Random(f"{drill}:{seed}")
        history = {
            q.id: QuestionHistory(q.id, 1, rng.randrange(1000), rng.random() < 0.6)
            for q in pool
            if rng.random() < seed / 150
        }
        drawn = select_questions(pool, history, rng)
        topics = [q.topic for q in drawn]
        assert len(drawn) == QUIZ_LENGTH, (drill, seed, topics)
        assert len(set(topics)) == QUIZ_LENGTH, (drill, seed, topics)


def test_explanations_tell_certainty(bundle: ContentBundle) -> None:
    unconfirmed = {t.id for t in bundle.topics if t.certainty == "belum-pasti"}
    overclaim = [q.id for q in bundle.quizzes if "semua sumber resmi" in q.explanation.lower()]
    assert not overclaim
    uncaveated = [
        q.id
        for q in bundle.quizzes
        if q.topic in unconfirmed and not any(c in q.explanation.lower() for c in CAVEATS)
    ]
    assert not uncaveated, uncaveated
    # The brief grades the 0–3 indicator scale as single-source: never state it as plain fact.
    scale_as_fact = [
        q.id
        for q in bundle.quizzes
        if SCALE_0_3.search(q.explanation) and not any(c in q.explanation.lower() for c in CAVEATS)
    ]
    assert not scale_as_fact, scale_as_fact


def test_options_are_distinct_and_answer_keys_spread(bundle: ContentBundle) -> None:
    repeated = [
        q.id for q in bundle.quizzes if len({label for _, label in q.options}) < len(q.options)
    ]
    assert not repeated
    four = [q for q in bundle.quizzes if len(q.options) == 4]
    keys = Counter(q.answer for q in four)
    assert all(keys[k] >= len(four) * 0.15 for k in "abcd"), keys
