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
