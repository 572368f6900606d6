"""add join requests, pending unit, counted answers and score reviews

Existing members stay accepted (they keep their unit; no request is created) and every answer
given so far keeps counting.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 10:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "join_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("from_unit_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_join_requests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_join_requests_unit_id_units"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_unit_id"],
            ["units.id"],
            name=op.f("fk_join_requests_from_unit_id_units"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["users.id"],
            name=op.f("fk_join_requests_decided_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_requests")),
    )
    with op.batch_alter_table("join_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_join_requests_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_join_requests_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_join_requests_status"), ["status"], unique=False)
    op.create_table(
        "score_reviews",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.String(length=8), nullable=False),
        sa.Column("seen_answer_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_score_reviews_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_score_reviews_unit_id_units"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "unit_id", "edition", name=op.f("pk_score_reviews")),
    )
    # Plain ADD COLUMN, no batch (table copy) and no foreign key for `users`: on SQLite the
    # copy's drop would cascade-delete every session, answer and outbox row of every user.
    op.add_column("users", sa.Column("pending_unit_id", sa.Integer(), nullable=True))
    # Every answer given so far was given by a member of the unit: it keeps counting.
    op.add_column(
        "selfcheck_answers",
        sa.Column("counted", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    op.drop_column("selfcheck_answers", "counted")
    # SQLite drops a plain column in place (3.35+), without copying `users`.
    op.drop_column("users", "pending_unit_id")
    op.drop_table("score_reviews")
    with op.batch_alter_table("join_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_join_requests_status"))
        batch_op.drop_index(batch_op.f("ix_join_requests_unit_id"))
        batch_op.drop_index(batch_op.f("ix_join_requests_user_id"))
    op.drop_table("join_requests")
