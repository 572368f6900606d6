"""Unit tests for the topic and lexicon loader (bot.content.topics_loader)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.source import ContentInvalid
from bot.content.topics_loader import load_lexicon, load_topics, parse_topic

TOPIC = """---
id: maklumat-pelayanan
title: Maklumat pelayanan
editions: ["2022", "2023"]
questions:
  - Apa itu maklumat?
keywords: [maklumat, 2021]
related: [kompensasi]
sources: [UU 25/2009 Pasal 22]
certainty: satu-sumber
---
Jawaban singkat.

## Selengkapnya

Detail panjang.
"""


def test_parse_topic_splits_short_answer_and_detail() -> None:
    topic = parse_topic(TOPIC)
    assert topic.id == "maklumat-pelayanan"
    assert topic.short == "Jawaban singkat."
    assert topic.detail == "Detail panjang."
    assert topic.keywords == ("maklumat", "2021")  # YAML ints become strings
    assert topic.editions == ("2022", "2023")
    assert topic.certainty == "satu-sumber"


def test_parse_topic_without_detail_has_empty_detail() -> None:
    topic = parse_topic(TOPIC.split("## Selengkapnya")[0])
    assert topic.short == "Jawaban singkat." and topic.detail == ""


def test_parse_topic_rejects_missing_front_matter() -> None:
    with pytest.raises(ContentInvalid, match=r"x.md:1: missing YAML front matter"):
        parse_topic("Tanpa front matter", origin="x.md")


def test_load_topics_and_lexicon_from_files(tmp_path: Path) -> None:
    (tmp_path / "maklumat-pelayanan.md").write_text(TOPIC, encoding="utf-8")
    other = TOPIC.replace("id: maklumat-pelayanan", "id: kompensasi").replace(
        "related: [kompensasi]", "related: []"
    )
    (tmp_path / "kompensasi.md").write_text(other, encoding="utf-8")
    lexicon_file = tmp_path / "lexicon.yaml"
    lexicon_file.write_text(
        "abbreviations: {yg: yang}\nacronyms: {sp: standar pelayanan}\n"
        "stem_exceptions: [berapa]\nstopwords: [yang, itu]\n",
        encoding="utf-8",
    )
    assert [t.id for t in load_topics(tmp_path)] == ["kompensasi", "maklumat-pelayanan"]
    lexicon = load_lexicon(lexicon_file)
    assert lexicon.abbreviations == {"yg": "yang"}
    assert lexicon.stem_exceptions == {"berapa": "berapa"}
    assert lexicon.stopwords == frozenset({"yang", "itu"})


def test_lexicon_english_and_off_topic_sections(tmp_path: Path) -> None:
    lexicon_file = tmp_path / "lexicon.yaml"
    lexicon_file.write_text(
        "english:\n  the:\n  complaint: pengaduan\noff_topic: [Gaji, cpns]\n", encoding="utf-8"
    )
    lexicon = load_lexicon(lexicon_file)
    assert lexicon.english == {"the": "", "complaint": "pengaduan"}
    assert lexicon.off_topic == frozenset({"gaji", "cpns"})


def test_lexicon_off_topic_entries_are_short_phrases(tmp_path: Path) -> None:
    lexicon_file = tmp_path / "lexicon.yaml"
    lexicon_file.write_text(
        "off_topic:\n  - gaji\n  - reformasi birokrasi\n  - 42\n  - satu dua tiga empat lima\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentInvalid) as caught:
        load_lexicon(lexicon_file)
    assert [(p.line, "up to 4 words" in p.reason) for p in caught.value.problems] == [
        (4, True),
        (5, True),
    ]


def test_lexicon_generic_section(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text("generic: [Pelayanan, standar]\n", encoding="utf-8")
    assert load_lexicon(path).generic == frozenset({"pelayanan", "standar"})


def test_lexicon_units_and_common_sections(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text("units: [Puskesmas, dukcapil]\ncommon: [Motor, sabtu]\n", encoding="utf-8")
    lexicon = load_lexicon(path)
    assert lexicon.units == frozenset({"puskesmas", "dukcapil"})
    assert lexicon.common == frozenset({"motor", "sabtu"})


def _problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(ContentInvalid) as caught:
        parse_topic(text, origin="maklumat-pelayanan.md")
    return [(p.line, p.reason) for p in caught.value.problems]


def test_editions_are_required_and_located() -> None:
    text = TOPIC.replace('editions: ["2022", "2023"]\n', "")
    assert _problems(text) == [
        (
            1,
            'editions is required: the methodology years the topic describes, e.g. ["2025"], '
            'or ["umum"] when it holds for every edition',
        )
    ]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("[]", 'editions must be a non-empty list, e.g. ["2025"] or ["umum"]'),
        ('"2023"', 'editions must be a non-empty list, e.g. ["2025"] or ["umum"]'),
        ('["2o24"]', "edition '2o24' is neither a year nor 'umum'"),
        ('["umum", "2024"]', "'umum' stands alone: a general topic lists no years"),
        ('["2024", "2024"]', "an edition is listed twice"),
    ],
)
def test_malformed_editions_point_at_their_line(value: str, reason: str) -> None:
    text = TOPIC.replace('editions: ["2022", "2023"]', f"editions: {value}")
    assert _problems(text) == [(4, reason)]


def test_general_topic_has_umum_alone() -> None:
    topic = parse_topic(TOPIC.replace('editions: ["2022", "2023"]', 'editions: ["umum"]'))
    assert topic.editions == ("umum",)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            "certainty: sebagian",
            "certainty 'sebagian' is no longer used: write satu-sumber (one source) or "
            "belum-pasti (inferred or contested)",
        ),
        (
            "certainty: yakin",
            "certainty must be one of pasti, satu-sumber, belum-pasti, not 'yakin'",
        ),
    ],
)
def test_certainty_levels_are_the_three_by_meaning(line: str, reason: str) -> None:
    assert _problems(TOPIC.replace("certainty: satu-sumber", line)) == [(10, reason)]


def test_certainty_is_required() -> None:
    problems = _problems(TOPIC.replace("certainty: satu-sumber\n", ""))
    assert problems == [(1, "certainty is required: one of pasti, satu-sumber, belum-pasti")]
    for level in ("pasti", "belum-pasti"):
        text = TOPIC.replace("certainty: satu-sumber", f"certainty: {level}")
        assert parse_topic(text).certainty == level
