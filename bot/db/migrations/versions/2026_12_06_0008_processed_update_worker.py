"""processed_updates.worker: an update claimed by a process whose handler has not committed yet

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing ids keep NULL: they were processed.
    with op.batch_alter_table("processed_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("worker", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("processed_updates", schema=None) as batch_op:
        batch_op.drop_column("worker")
