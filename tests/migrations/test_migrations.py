"""Migrations: empty database to head, a single head, models match the schema, downgrade works."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.db import migrate
from bot.db.base import Base
from bot.db.session import create_engine


def test_single_head() -> None:
    assert len(migrate.heads()) == 1


async def test_upgrade_empty_database_to_head_matches_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert await migrate.current(engine) is None
        await migrate.upgrade(engine)
        assert await migrate.current(engine) == migrate.heads()[0]

        def diff(connection: Any) -> list[Any]:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)

        async with engine.connect() as conn:
            differences = await conn.run_sync(diff)
        assert differences == []
    finally:
        await engine.dispose()


async def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine)
        await migrate.downgrade(engine, "base")

        def tables(connection: Any) -> set[str]:
            return set(inspect(connection).get_table_names()) - {"alembic_version"}

        async with engine.connect() as conn:
            assert await conn.run_sync(tables) == set()
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            assert "users" in await conn.run_sync(tables)
    finally:
        await engine.dispose()


async def test_upgrade_from_0007_keeps_members_accepted_and_their_answers_counting(
    database_url: str,
) -> None:
    """A running deployment loses nobody: members stay in their unit, answers keep counting."""
    from sqlalchemy import text

    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0007")
        now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # asyncpg wants datetimes, not text
        async with engine.begin() as conn:
            for statement, values in (
                (
                    "INSERT INTO governments (id, code, name, timezone) "
                    "VALUES (1, 'kota', 'Kota Uji', 'Asia/Makassar')",
                    {},
                ),
                (
                    "INSERT INTO units (id, code, name, type, government_id, archived) "
                    "VALUES (1, 'dinkes', 'Dinas Kesehatan', 'opd', 1, false)",
                    {},
                ),
                (
                    "INSERT INTO users (id, telegram_id, display_name, unit_id, role, "
                    "reminder_hour, quiet_weekends, muted, active, blocked, created_at, "
                    "updated_at) VALUES (:id, :tg, :name, 1, :role, 8, false, false, true, "
                    "false, :now, :now)",
                    [
                        {"id": 1, "tg": 501, "name": "Ani", "role": "coordinator", "now": now},
                        {"id": 2, "tg": 502, "name": "Budi", "role": "member", "now": now},
                    ],
                ),
                (
                    "INSERT INTO selfcheck_sessions (id, user_id, unit_id, edition, "
                    "content_version, status, step, started_at, updated_at) "
                    "VALUES (1, 2, 1, '2024', 'v', 'open', 2, :now, :now)",
                    {"now": now},
                ),
                (
                    "INSERT INTO selfcheck_answers (id, session_id, unit_id, user_id, edition, "
                    "indicator_id, value, content_version, answered_at) "
                    "VALUES (1, 1, 1, 2, '2024', 'x', 3, 'v', :now)",
                    {"now": now},
                ),
            ):
                await conn.execute(text(statement), values)
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            users = (
                await conn.execute(
                    text("SELECT id, unit_id, role, pending_unit_id FROM users ORDER BY id")
                )
            ).all()
            counted = (await conn.execute(text("SELECT counted FROM selfcheck_answers"))).all()
            requests = (await conn.execute(text("SELECT count(*) FROM join_requests"))).scalar()
        assert [tuple(u) for u in users] == [(1, 1, "coordinator", None), (2, 1, "member", None)]
        assert [bool(c[0]) for c in counted] == [True]
        assert requests == 0
    finally:
        await engine.dispose()


async def test_0011_gives_registered_members_their_units_zone(database_url: str) -> None:
    from sqlalchemy import text

    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0007")
        now = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO governments (id, code, name, timezone) VALUES (1,'g','G',:t)"),
                {"t": "Asia/Makassar"},
            )
            await conn.execute(
                text(
                    "INSERT INTO units (id, code, name, type, government_id, timezone, archived) "
                    "VALUES (1, 'u', 'U', 'opd', 1, 'Asia/Makassar', false)"
                )
            )
            for uid, unit, zone in ((1, 1, None), (2, 1, "Asia/Jakarta"), (3, None, None)):
                await conn.execute(
                    text(
                        "INSERT INTO users (id, telegram_id, display_name, unit_id, role,"
                        " timezone, reminder_hour, quiet_weekends, muted, active, blocked,"
                        " created_at, updated_at)"
                        " VALUES (:id, :tg, 'x', :unit, 'member', :zone, 8, false,"
                        " false, true, false, :now, :now)"
                    ),
                    {"id": uid, "tg": uid, "unit": unit, "zone": zone, "now": now},
                )
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT id, timezone FROM users ORDER BY id"))).all()
        # Registered without a zone: the unit's; a chosen zone stays; unregistered: still none.
        assert [tuple(r) for r in rows] == [(1, "Asia/Makassar"), (2, "Asia/Jakarta"), (3, None)]
    finally:
        await engine.dispose()
