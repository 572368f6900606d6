"""registered members without a zone of their own take their unit's zone; evidence captions

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 10:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Until now a member without a chosen zone was shown BOT_TIMEZONE (WIB) even in a WITA
    # city; from now on registering copies the unit's zone, and this gives existing members
    # the same. A zone a member chose in /pengaturan is kept.
    op.execute(
        "UPDATE users SET timezone = "
        "(SELECT units.timezone FROM units WHERE units.id = users.unit_id) "
        "WHERE timezone IS NULL AND unit_id IS NOT NULL"
    )
    # The caption typed with a photo or document, shown in /bukti next to uploader and date.
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("caption", sa.String(length=200), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_column("caption")
    # The copied zones cannot be told apart from chosen ones; they stay (data only).
