"""Membership rules: how one joins, whose answers count, changes and disagreements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.membership import (
    AnswerRecord,
    JoinPath,
    answer_counts,
    changes_since,
    disagreements,
    join_path,
)
from bot.domain.units import Member, Role

T0 = datetime(2026, 12, 6, 8, tzinfo=UTC)


def member(role: Role = Role.MEMBER, unit: int | None = None, active: bool = True) -> Member:
    return Member(1, 11, "Ani", role, unit, "id", "Asia/Makassar", active)


@pytest.mark.parametrize(
    ("who", "coordinators", "admins", "open_join", "expected"),
    [
        (member(), 1, 1, False, JoinPath.REQUEST),
        (member(), 1, 0, True, JoinPath.REQUEST),  # a coordinator always decides
        (member(), 0, 1, False, JoinPath.REQUEST),  # no coordinator: the admins decide
        (member(), 0, 1, True, JoinPath.DIRECT),  # ... unless BOT_OPEN_JOIN
        (member(), 0, 0, False, JoinPath.DIRECT),  # nobody could ever decide
        (member(Role.ADMIN), 2, 1, False, JoinPath.DIRECT),
        (member(Role.COORDINATOR, unit=5), 1, 1, False, JoinPath.REQUEST),
        (member(unit=7), 1, 1, False, JoinPath.ALREADY),
    ],
)
def test_join_path(
    who: Member, coordinators: int, admins: int, open_join: bool, expected: JoinPath
) -> None:
    assert (
        join_path(who, 7, coordinators=coordinators, admins=admins, open_join=open_join)
        is expected
    )


def test_only_people_the_unit_trusts_count() -> None:
    assert answer_counts(member(unit=7), 7)
    assert not answer_counts(member(unit=8), 7)
    assert not answer_counts(member(unit=None), 7)
    assert answer_counts(member(Role.ADMIN), 7)
    assert not answer_counts(member(unit=7, active=False), 7)


def record(id_: int, indicator: str, user: int, value: int) -> AnswerRecord:
    return AnswerRecord(id_, indicator, user, f"u{user}", value, T0 + timedelta(minutes=id_))


def test_changes_since_list_real_changes_of_the_unit_value_after_the_mark() -> None:
    records = [
        record(1, "a", 1, 3),
        record(2, "a", 2, 3),  # same value: not a change
        record(3, "b", 2, 1),
        record(4, "a", 2, 0),
    ]
    assert [(c.indicator_id, c.old, c.new) for c in changes_since(records, 0)] == [
        ("a", None, 3),
        ("b", None, 1),
        ("a", 3, 0),
    ]
    after = changes_since(records, 2)
    assert [(c.indicator_id, c.old, c.new, c.author) for c in after] == [
        ("b", None, 1, "u2"),
        ("a", 3, 0, "u2"),
    ]


def test_disagreements_use_each_authors_latest_answer_and_end_when_settled() -> None:
    records = [
        record(1, "a", 1, 3),
        record(2, "a", 2, 0),
        record(3, "b", 1, 2),
        record(4, "b", 2, 1),
        record(5, "b", 2, 2),  # author 2 changed their mind: now they agree
    ]
    found = disagreements(records)
    assert [(d.indicator_id, d.by_value, d.unit_value) for d in found] == [
        ("a", ((0, ("u2",)), (3, ("u1",))), 0)
    ]
    assert disagreements(records, {"a": 2}) == []
    later = [*records, record(6, "a", 1, 1), record(7, "a", 3, 2)]
    assert [d.indicator_id for d in disagreements(later, {"a": 2})] == ["a"]
