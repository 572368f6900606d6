"""Content test: the example deadline timeline content/tenggat.yaml is valid and usable."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.domain.deadlines import Recipient, due_reminders
from bot.domain.timeline import SLUG, parse_timeline, validate_timeline
from bot.domain.units import Unit

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"


def load(name: str) -> Any:
    return yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def timeline_data() -> Any:
    return load("tenggat.yaml")


@pytest.fixture(scope="module")
def units() -> list[Unit]:
    data = load("units.yaml")
    return [
        Unit(index, u["code"], u["name"], u["type"], u["government"])
        for index, u in enumerate(data["units"], start=1)
    ]


def test_timeline_is_valid_against_the_unit_list(timeline_data: Any, units: list[Unit]) -> None:
    problems = validate_timeline(
        timeline_data,
        known_unit_types={u.type for u in units},
        known_unit_codes={u.code for u in units},
    )
    assert problems == []


def test_timeline_is_marked_as_an_example(timeline_data: Any) -> None:
    assert timeline_data["example"] is True
    assert "CONTOH" in (CONTENT / "tenggat.yaml").read_text(encoding="utf-8").splitlines()[0]


def test_timeline_has_10_to_15_entries_with_indicators_and_topics(timeline_data: Any) -> None:
    entries = parse_timeline(timeline_data).entries
    assert 10 <= len(entries) <= 15
    for item in entries:
        assert item.indicators and item.topics and item.description, item.id
        assert all(SLUG.match(value) for value in item.indicators + item.topics), item.id


def test_topics_exist_when_topic_content_is_present(timeline_data: Any) -> None:
    topic_dir = CONTENT / "topics"
    if not topic_dir.is_dir():
        pytest.skip("content/topics/ is not in this checkout yet")
    known = {path.stem for path in topic_dir.glob("*.md")}
    assert validate_timeline(timeline_data, known_topics=known) == []


def test_every_deadline_resolves_to_units_and_plans_reminders(
    timeline_data: Any, units: list[Unit]
) -> None:
    deadlines = [item.to_deadline(units) for item in parse_timeline(timeline_data).entries]
    assert all(d.unit_ids == "all" or d.unit_ids for d in deadlines)
    people = [Recipient(user_id=u.id, chat_id=u.id, unit_id=u.id, tz="WITA") for u in units]
    sent = 0
    delivered: set[tuple[str, int, int]] = set()
    now = datetime(2027, 3, 1, tzinfo=UTC)
    while now < datetime(2027, 9, 1, tzinfo=UTC):  # daily at 08.00 WITA through the season
        plan = due_reminders(now, deadlines, people, [], delivered)
        sent += len(plan.due)
        assert not plan.skipped and not any(r.late for r in plan.due)
        delivered |= {r.key for r in plan.due}
        now += timedelta(days=1)
    expected = sum(
        len(d.offsets) * (len(units) if d.unit_ids == "all" else len(d.unit_ids))
        for d in deadlines
    )
    assert sent == expected


def test_timeline_follows_the_2025_pattern_before_field_work(timeline_data: Any) -> None:
    """2025 field work ran about September-November: every sample deadline falls before it."""
    entries = parse_timeline(timeline_data).entries
    assert timeline_data["season"] == "2027"
    assert all(
        datetime(2027, 6, 1, tzinfo=UTC) <= e.due_at < datetime(2027, 9, 1, tzinfo=UTC)
        for e in entries
    ), [(e.id, e.due_at) for e in entries]


def test_timeline_links_only_indicators_of_the_edition_in_force(timeline_data: Any) -> None:
    from bot.content.bundle import load_content
    from bot.domain.editions import edition_in_force

    bundle = load_content(CONTENT)
    in_force = edition_in_force(bundle.methodologies)
    assert in_force == "2025"
    known = {i.id for i in bundle.methodologies[in_force].indicators}
    linked = {i for e in parse_timeline(timeline_data).entries for i in e.indicators}
    assert linked <= known, sorted(linked - known)
    assert validate_timeline(timeline_data, known_indicators=known) == []
