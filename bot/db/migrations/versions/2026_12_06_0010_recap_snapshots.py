"""recap_snapshots: the figures of each /rekap, for "change since the previous report"

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "recap_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("edition", sa.String(length=8), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_recap_snapshots_unit_id_units"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recap_snapshots")),
    )
    with op.batch_alter_table("recap_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recap_snapshots_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("recap_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recap_snapshots_created_at"))
    op.drop_table("recap_snapshots")
