"""link evidence to deadlines (foreign key, index) and find reminders by chat and message id

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 01:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No foreign key guarded evidence.deadline_id until now: forget links to deadlines that do
    # not exist before the constraint is created (deadlines are archived, never deleted).
    op.execute(
        "UPDATE evidence SET deadline_id = NULL WHERE deadline_id IS NOT NULL "
        "AND deadline_id NOT IN (SELECT id FROM deadlines)"
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_evidence_deadline_id_deadlines"),
            "deadlines",
            ["deadline_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_evidence_deadline_id"), ["deadline_id"], unique=False)
    # A file sent as a reply to a reminder is matched by (chat, message id).
    with op.batch_alter_table("reminder_outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reminder_outbox_chat_message", ["chat_id", "telegram_message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reminder_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_outbox_chat_message")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_deadline_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_evidence_deadline_id_deadlines"), type_="foreignkey"
        )
