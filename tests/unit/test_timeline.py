"""Unit tests for bot.domain.timeline: validating and converting the deadline timeline."""

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.domain.deadlines import ALL_UNITS
from bot.domain.errors import Problem
from bot.domain.timeline import TimelineError, UnitSelector, parse_timeline, validate_timeline
from bot.domain.units import Unit


def entry(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "maklumat-pelayanan",
        "title": "Maklumat pelayanan dipajang",
        "due": "2027-05-14T23:59:00+08:00",
    }
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def problems(*entries: dict[str, Any], **known: Any) -> list[tuple[tuple[str | int, ...], str]]:
    return [(p.path, p.reason) for p in validate_timeline({"deadlines": list(entries)}, **known)]


def test_minimal_entry_is_valid_and_gets_defaults() -> None:
    assert problems(entry()) == []
    timeline = parse_timeline({"deadlines": [entry()]})
    (only,) = timeline.entries
    assert only.due_at == datetime(2027, 5, 14, 15, 59, tzinfo=UTC)
    assert only.offsets == (14, 7, 3, 1, 0)
    assert only.units.is_all and not timeline.example


def test_yaml_timestamp_objects_are_accepted() -> None:
    aware = datetime.fromisoformat("2027-05-14T23:59:00+08:00")
    assert problems(entry(due=aware)) == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"due": "2027-05-14T23:59:00"}, [(("deadlines", 0, "due"), "naive_datetime")]),
        (
            {"due": datetime(2027, 5, 14, 23, 59)},
            [(("deadlines", 0, "due"), "naive_datetime")],
        ),
        ({"due": "2027-05-14"}, [(("deadlines", 0, "due"), "not_a_datetime")]),
        ({"due": "14 Mei 2027"}, [(("deadlines", 0, "due"), "not_a_datetime")]),
        ({"due": "2027-02-30T23:59:00+08:00"}, [(("deadlines", 0, "due"), "not_a_datetime")]),
        ({"due": None}, [(("deadlines", 0, "due"), "missing")]),
        ({"zone": "Mars/Olympus"}, [(("deadlines", 0, "zone"), "unknown_zone")]),
        ({"zone": "Asia/Jakarta"}, [(("deadlines", 0, "zone"), "zone_mismatch")]),
        ({"offsets": [7, 7]}, [(("deadlines", 0, "offsets", 1), "duplicate_offset")]),
        ({"offsets": [-1]}, [(("deadlines", 0, "offsets", 0), "offset_out_of_range")]),
        ({"offsets": [365]}, [(("deadlines", 0, "offsets", 0), "offset_out_of_range")]),
        ({"offsets": ["7"]}, [(("deadlines", 0, "offsets", 0), "not_an_integer")]),
        ({"offsets": [True]}, [(("deadlines", 0, "offsets", 0), "not_an_integer")]),
        ({"offsets": 7}, [(("deadlines", 0, "offsets"), "not_a_list")]),
        ({"id": "Maklumat Pelayanan"}, [(("deadlines", 0, "id"), "bad_slug")]),
        ({"id": 12}, [(("deadlines", 0, "id"), "not_a_string")]),
        ({"title": "  "}, [(("deadlines", 0, "title"), "empty")]),
        ({"offset": [7]}, [(("deadlines", 0, "offset"), "unknown_key")]),
        ({"units": "semua"}, [(("deadlines", 0, "units"), "bad_units")]),
        (
            {"units": {"types": ["opd"], "codes": ["dinkes"]}},
            [(("deadlines", 0, "units"), "bad_units")],
        ),
        ({"units": {"types": []}}, [(("deadlines", 0, "units", "types"), "not_a_list")]),
        ({"topics": ["Maklumat"]}, [(("deadlines", 0, "topics", 0), "bad_slug")]),
    ],
)
def test_invalid_entries_are_reported_with_path(
    overrides: dict[str, Any], expected: list[tuple[tuple[str | int, ...], str]]
) -> None:
    assert problems(entry(**overrides)) == expected


def test_naive_due_with_zone_is_valid() -> None:
    data = {"deadlines": [entry(due="2027-05-14T23:59:00", zone="WITA")]}
    assert validate_timeline(data) == []
    assert parse_timeline(data).entries[0].due_at == datetime(2027, 5, 14, 15, 59, tzinfo=UTC)


def test_duplicate_ids_are_reported_once_per_repeat() -> None:
    assert problems(entry(), entry(), entry(id="lain")) == [
        (("deadlines", 1, "id"), "duplicate_id")
    ]


def test_known_ids_are_checked_only_when_given() -> None:
    row = entry(topics=["maklumat-pelayanan", "tidak-ada"], units={"codes": ["dinkes", "x"]})
    assert problems(row) == []
    assert problems(row, known_topics={"maklumat-pelayanan"}, known_unit_codes={"dinkes"}) == [
        (("deadlines", 0, "topics", 1), "unknown_topic"),
        (("deadlines", 0, "units", "codes", 1), "unknown_unit_code"),
    ]
    typed = entry(units={"types": ["puskesmas", "sekolah"]}, indicators=["pr-maklumat"])
    assert problems(typed, known_unit_types={"puskesmas"}, known_indicators=set()) == [
        (("deadlines", 0, "indicators", 0), "unknown_indicator"),
        (("deadlines", 0, "units", "types", 1), "unknown_unit_type"),
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], [((), "not_a_mapping")]),
        ({}, [(("deadlines",), "missing")]),
        ({"deadlines": {}}, [(("deadlines",), "not_a_list")]),
        ({"deadlines": ["x"]}, [(("deadlines", 0), "not_a_mapping")]),
        (
            {"deadlines": [], "example": "ya", "tahun": 2027},
            [
                (("tahun",), "unknown_key"),
                (("example",), "not_a_bool"),
            ],
        ),
    ],
)
def test_invalid_document_shape(
    data: object, expected: list[tuple[tuple[str | int, ...], str]]
) -> None:
    assert [(p.path, p.reason) for p in validate_timeline(data)] == expected


def test_parse_raises_with_every_problem() -> None:
    with pytest.raises(TimelineError) as info:
        parse_timeline({"deadlines": [entry(due="2027-05-14T23:59:00"), entry(offsets=[1, 1])]})
    assert info.value.problems == [
        Problem(("deadlines", 0, "due"), "naive_datetime"),
        Problem(("deadlines", 1, "offsets", 1), "duplicate_offset"),
        Problem(("deadlines", 1, "id"), "duplicate_id"),
    ]


UNITS = [
    Unit(1, "dinkes", "Dinas Kesehatan", "opd", "kota-bontang"),
    Unit(2, "pkm-bontang-utara-1", "UPT Puskesmas Bontang Utara I", "puskesmas", "kota-bontang"),
    Unit(3, "rsud-taman-husada", "RSUD Taman Husada", "rsud", "kota-bontang"),
]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        (UnitSelector(), ALL_UNITS),
        (UnitSelector(types=frozenset({"puskesmas", "rsud"})), frozenset({2, 3})),
        (UnitSelector(codes=frozenset({"DINKES"})), frozenset({1})),
        (UnitSelector(codes=frozenset({"tidak-ada"})), frozenset()),
    ],
)
def test_unit_selector_resolves_against_units(selector: UnitSelector, expected: object) -> None:
    assert selector.resolve(UNITS) == expected


def test_entry_becomes_a_deadline() -> None:
    data = {"deadlines": [entry(units={"types": ["puskesmas"]}, offsets=[3, 0])]}
    deadline = parse_timeline(data).entries[0].to_deadline(UNITS)
    assert (deadline.id, deadline.offsets, deadline.unit_ids) == (
        "maklumat-pelayanan",
        (3, 0),
        frozenset({2}),
    )
    assert deadline.due_at == datetime(2027, 5, 14, 15, 59, tzinfo=UTC)
