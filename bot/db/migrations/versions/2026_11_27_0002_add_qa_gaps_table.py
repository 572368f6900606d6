"""add qa_gaps table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "qa_gaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("normalized", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_qa_gaps_unit_id_units"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_qa_gaps_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_gaps")),
    )
    with op.batch_alter_table("qa_gaps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_qa_gaps_asked_at"), ["asked_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_qa_gaps_normalized"), ["normalized"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("qa_gaps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_qa_gaps_normalized"))
        batch_op.drop_index(batch_op.f("ix_qa_gaps_asked_at"))
    op.drop_table("qa_gaps")
