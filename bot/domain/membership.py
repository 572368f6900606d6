"""Who speaks for a unit (domain layer): joining with consent, whose answers count, menus.

The rules, as a user reads them (README "Keanggotaan unit"):

* Registering to (or moving to) a unit that has a coordinator is a *join request*: the unit's
  coordinators and the admins get "Terima"/"Tolak" buttons and the person is told the outcome.
* A unit without a coordinator: the admins decide, unless the operator allows open joining
  (``BOT_OPEN_JOIN=true``). If nobody could decide (no coordinator, no admin), one joins at once.
* Admins join any unit at once (they may act for every unit anyway).
* While a request waits, the person may ask questions, take quizzes and run a *personal*
  self-check of the requested unit; nothing of theirs counts for the unit. Accepting the
  request makes their self-check answers for that unit count; refusing leaves them uncounted.
* Moving away from a unit ends one's membership there at once; a coordinator loses the role
  (the confirmation says so) and the old unit's coordinators and the admins are told.
* A unit's self-check answers are changed by the people it trusts: its accepted members
  (accepted = let in by a coordinator or an admin), its coordinators, and admins.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.domain.units import Member, Role


class JoinPath(enum.Enum):
    """What registering to a unit does."""

    DIRECT = "direct"  # member at once
    REQUEST = "request"  # a join request waits for a coordinator or an admin
    ALREADY = "already"  # already a member of that unit: nothing to do


class RequestStatus(enum.StrEnum):
    """The life of a join request."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"  # the person asked for another unit or was placed by an admin


def join_path(
    member: Member, unit_id: int, *, coordinators: int, admins: int, open_join: bool
) -> JoinPath:
    """Decide how `member` joins `unit_id` given who could decide (counts exclude `member`)."""
    if member.unit_id == unit_id:
        return JoinPath.ALREADY
    if member.role is Role.ADMIN:
        return JoinPath.DIRECT
    if coordinators > 0:
        return JoinPath.REQUEST
    if open_join or admins == 0:
        return JoinPath.DIRECT
    return JoinPath.REQUEST


def answer_counts(member: Member, unit_id: int) -> bool:
    """Whether `member`'s self-check answer counts for `unit_id` (trusted by that unit)."""
    if not member.active:
        return False
    return member.role is Role.ADMIN or member.unit_id == unit_id


@dataclass(frozen=True, slots=True)
class Person:
    """Someone to tell about a membership event (chat and language for the message)."""

    user_id: int
    chat_id: int
    display_name: str
    language: str


@dataclass(frozen=True, slots=True)
class JoinRequest:
    """One join request as the deciders see it."""

    id: int
    user_id: int
    display_name: str
    unit_id: int
    unit_name: str
    status: RequestStatus
    created_at: datetime
    previous_unit_name: str | None = None


@dataclass(frozen=True, slots=True)
class JoinOutcome:
    """What registering did: joined at once, or a request went to `deciders`.

    ``left_unit_name`` names the unit the person left (None for a first registration);
    ``lost_role`` is True when they were its coordinator; ``old_unit_told`` are the people of
    the old unit (its coordinators, and the admins if a coordinator left) to tell.
    """

    path: JoinPath
    unit_id: int
    unit_name: str
    request: JoinRequest | None
    deciders: tuple[Person, ...]
    left_unit_name: str | None
    lost_role: bool
    old_unit_told: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """A decided join request: who decided, and the person to tell."""

    request: JoinRequest
    accepted: bool
    decided_by: str
    person: Person | None
    counted_answers: int  # answers that start to count for the unit with this acceptance


# --- answers: changes and disagreements ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One counted self-check answer as the coordinator's review reads it."""

    id: int
    indicator_id: str
    user_id: int
    author: str
    value: int
    at: datetime


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """The unit's value of one indicator moved: who, when, old -> new (None = no value yet)."""

    indicator_id: str
    author: str
    at: datetime
    old: int | None
    new: int


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Members' latest answers to one indicator differ; ``by_value`` names who chose what."""

    indicator_id: str
    by_value: tuple[tuple[int, tuple[str, ...]], ...]
    unit_value: int


def changes_since(records: Iterable[AnswerRecord], seen_id: int) -> list[AnswerChange]:
    """Every change of the unit's value (latest given answer) after answer id `seen_id`.

    Records are in id order; repeating the value the unit already has is not a change.
    """
    current: dict[str, int] = {}
    changes: list[AnswerChange] = []
    for record in sorted(records, key=lambda r: r.id):
        old = current.get(record.indicator_id)
        current[record.indicator_id] = record.value
        if record.id > seen_id and old != record.value:
            changes.append(
                AnswerChange(record.indicator_id, record.author, record.at, old, record.value)
            )
    return changes


def disagreements(
    records: Iterable[AnswerRecord], settled: Mapping[str, int] | None = None
) -> list[Disagreement]:
    """Indicators whose authors' latest answers differ (after the last settlement, if any).

    ``settled`` maps an indicator to the answer id by which a coordinator settled it: only
    answers after it can disagree again.
    """
    settled = settled or {}
    latest: dict[str, dict[int, AnswerRecord]] = {}
    unit_value: dict[str, int] = {}
    for record in sorted(records, key=lambda r: r.id):
        unit_value[record.indicator_id] = record.value
        if record.id <= settled.get(record.indicator_id, 0):
            latest.pop(record.indicator_id, None)
            continue
        latest.setdefault(record.indicator_id, {})[record.user_id] = record
    found: list[Disagreement] = []
    for indicator_id, by_author in latest.items():
        values: dict[int, list[str]] = {}
        for record in by_author.values():
            values.setdefault(record.value, []).append(record.author)
        if len(values) > 1:
            found.append(
                Disagreement(
                    indicator_id,
                    tuple((v, tuple(names)) for v, names in sorted(values.items())),
                    unit_value[indicator_id],
                )
            )
    return found


@dataclass(frozen=True, slots=True)
class UnitReview:
    """What a coordinator sees under /skor: changes since their last look, disagreements."""

    edition: str
    unit_id: int
    changes: tuple[AnswerChange, ...]
    disagreements: tuple[Disagreement, ...]
    first_look: bool
