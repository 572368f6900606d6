"""Operator statistics read straight from the schema, robust to feature tables not built yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, Table, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.schema import MetaData

from bot.db.models import (
    OUTBOX_STATUSES,
    BroadcastRecipientRow,
    BroadcastRow,
    CompletionRow,
    DeadlineRow,
    EvidenceRow,
    JoinRequestRow,
    OutboxRow,
    QaGapRow,
    QuizAnswerRow,
    QuizAttemptRow,
    RecapSnapshotRow,
    ReminderDeliveryRow,
    ScoreReviewRow,
    SelfCheckAnswerRow,
    SelfCheckSessionRow,
    SnoozeRow,
    UnitRow,
    UserRow,
)

ACTIVE_WINDOW = timedelta(days=30)
CORE_TABLES = frozenset(
    {
        "alembic_version",
        "governments",
        "units",
        "users",
        "audit_log",
        "flow_states",
        "processed_updates",
    }
)


@dataclass(frozen=True, slots=True)
class TableCount:
    """Rows of one feature table, and per-status counts when it has a `status` column."""

    table: str
    rows: int
    by_status: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Stats:
    """What `python -m bot stats` prints."""

    users_total: int
    users_active: int
    users_registered: int
    users_seen_recently: int
    units: int
    units_archived: int
    self_check_answers: list[TableCount]
    quiz_answers: list[TableCount]
    outbox: list[TableCount]
    qa_gaps: list[TableCount]
    other: list[TableCount]


class SchemaMissing(Exception):
    """The database has no users table: it was never migrated."""


# The heading each feature table is counted under; a table not listed here (say, one a newer
# migration adds) is counted under "other" rather than left out.
HEADINGS = {
    SelfCheckSessionRow.__tablename__: "self_check_answers",
    SelfCheckAnswerRow.__tablename__: "self_check_answers",
    QuizAttemptRow.__tablename__: "quiz_answers",
    QuizAnswerRow.__tablename__: "quiz_answers",
    OutboxRow.__tablename__: "outbox",
    QaGapRow.__tablename__: "qa_gaps",
    DeadlineRow.__tablename__: "other",
    CompletionRow.__tablename__: "other",
    ReminderDeliveryRow.__tablename__: "other",
    SnoozeRow.__tablename__: "other",
    EvidenceRow.__tablename__: "other",
    BroadcastRow.__tablename__: "other",
    BroadcastRecipientRow.__tablename__: "other",
    JoinRequestRow.__tablename__: "other",
    ScoreReviewRow.__tablename__: "other",
    RecapSnapshotRow.__tablename__: "other",
}


def classify(table: str) -> str:
    """Which heading a feature table belongs under."""
    return HEADINGS.get(table, "other")


def _count(connection: Connection, table: Table) -> TableCount:
    rows = int(connection.execute(select(func.count()).select_from(table)).scalar_one())
    by_status: dict[str, int] = {}
    if "status" in table.c:
        result = connection.execute(
            select(table.c.status, func.count()).group_by(table.c.status).order_by(table.c.status)
        )
        by_status = {str(status): int(n) for status, n in result}
    if table.name == OutboxRow.__tablename__:
        # Every outbox status in lifecycle order, zeros included: "claimed 0, sending 0" is news.
        by_status = {
            **{status: by_status.get(status, 0) for status in OUTBOX_STATUSES},
            **{s: n for s, n in by_status.items() if s not in OUTBOX_STATUSES},
        }
    return TableCount(table.name, rows, by_status)


def _collect(connection: Connection, now: datetime) -> Stats:
    names = set(inspect(connection).get_table_names())
    if "users" not in names:
        raise SchemaMissing("users")
    # Core tables through the ORM (its UtcDateTime binds the cutoff correctly); the rest reflected.
    users, units = UserRow.__table__, UnitRow.__table__
    metadata = MetaData()
    metadata.reflect(connection, only=sorted(names - CORE_TABLES))

    def scalar(query: object) -> int:
        return int(connection.execute(query).scalar_one())  # type: ignore[call-overload]

    count = select(func.count()).select_from(users)
    groups: dict[str, list[TableCount]] = {
        "self_check_answers": [],
        "quiz_answers": [],
        "outbox": [],
        "qa_gaps": [],
        "other": [],
    }
    for name in sorted(names - CORE_TABLES):
        groups[classify(name)].append(_count(connection, metadata.tables[name]))
    return Stats(
        users_total=scalar(count),
        users_active=scalar(count.where(users.c.active.is_(True), users.c.blocked.is_(False))),
        users_registered=scalar(count.where(users.c.unit_id.is_not(None))),
        users_seen_recently=scalar(count.where(users.c.last_seen_at >= now - ACTIVE_WINDOW)),
        units=scalar(select(func.count()).select_from(units)),
        units_archived=scalar(
            select(func.count()).select_from(units).where(units.c.archived.is_(True))
        ),
        **groups,
    )


async def collect(engine: AsyncEngine, now: datetime) -> Stats:
    """Count users, units and every feature table present; raise SchemaMissing if unmigrated."""
    async with engine.connect() as connection:
        return await connection.run_sync(_collect, now)
