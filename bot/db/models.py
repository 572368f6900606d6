"""ORM models (db layer). Everything that belongs to a unit carries unit_id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime


class GovernmentRow(Base):
    """A government whose units are assessed together."""

    __tablename__ = "governments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))


class UnitRow(Base):
    """A service unit, synced from content/units.yaml by code."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(32))
    government_id: Mapped[int] = mapped_column(ForeignKey("governments.id"))
    timezone: Mapped[str | None] = mapped_column(String(64))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class UserRow(Base):
    """A Telegram user of the bot."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[str] = mapped_column(String(16), default="member")
    language: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    reminder_hour: Mapped[int] = mapped_column(Integer, default=8)
    quiet_weekends: Mapped[bool] = mapped_column(Boolean, default=False)
    muted: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set when an admin deactivates the user; writing to the bot again does not undo it.
    deactivated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The unit of the person's open join request, a copy of join_requests (whose foreign keys
    # guard it) read on every update. No foreign key here: adding one to `users` on SQLite
    # needs a table copy whose drop cascades to every row that references a user.
    pending_unit_id: Mapped[int | None] = mapped_column(Integer)


class JoinRequestRow(Base):
    """A request to join a unit: pending -> accepted | refused | withdrawn (compare-and-set)."""

    __tablename__ = "join_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ScoreReviewRow(Base):
    """The last unit answer a coordinator has seen in /skor (for "changed since you looked")."""

    __tablename__ = "score_reviews"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    edition: Mapped[str] = mapped_column(String(8), primary_key=True)
    seen_answer_id: Mapped[int] = mapped_column(Integer, default=0)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditRow(Base):
    """Who did what, when, on which unit; refusals included."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(16), default="ok")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class FlowStateRow(Base):
    """The step a user is at in a multi-step flow, kept here for restarts and other processes."""

    __tablename__ = "flow_states"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProcessedUpdateRow(Base):
    """Update ids already handled, so a webhook retry or a second process does not act twice.

    `worker` is set while a process handles the update and nothing of it is committed yet; it
    becomes NULL ("processed") in the same transaction as the handler's first change (see
    bot/db/repositories/updates.py), so an update whose handler never committed is handled
    again when Telegram delivers it again after a crash.
    """

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    worker: Mapped[str | None] = mapped_column(String(64))


# --- qa ---


class QaGapRow(Base):
    """A question the bot declined or was unsure about, kept for content curators."""

    __tablename__ = "qa_gaps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    text: Mapped[str] = mapped_column(String(500))
    normalized: Mapped[str] = mapped_column(String(500), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    candidates: Mapped[list[Any]] = mapped_column(JSON, default=list)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


# --- admin: evidence files ---


class EvidenceRow(Base):
    """An evidence file (bukti dukung) of a unit, attached to an indicator and/or a deadline.

    A file sent from a reminder carries `deadline_id` (and the deadline's first indicator, if it
    has one). `storage_key` is the path we generated under BOT_STORAGE_DIR; `original_name` is
    the sanitised name from the user's device, for display only.
    """

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    edition: Mapped[str] = mapped_column(String(16))
    indicator_id: Mapped[str | None] = mapped_column(String(64))
    deadline_id: Mapped[int | None] = mapped_column(
        ForeignKey("deadlines.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    telegram_file_id: Mapped[str] = mapped_column(String(255))
    telegram_file_unique_id: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    original_name: Mapped[str] = mapped_column(String(200), default="")
    caption: Mapped[str] = mapped_column(String(200), default="", server_default="")
    mime_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


# --- selfcheck and quiz (scoring store) ---


class SelfCheckSessionRow(Base):
    """One person's self-check of one unit in one edition; at most one open per user.

    status: open -> done | abandoned, or -> personal (finished by someone the unit has not
    accepted yet; "done" once accepted); "settled" holds a coordinator's settling answer.

    ``step`` increases with every action so a button from an earlier step is recognised as
    stale (compare-and-set in the repository); ``cursor`` is the indicator on screen. The score
    fields are a snapshot taken when the session finished (for the /skor trend).
    """

    __tablename__ = "selfcheck_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    edition: Mapped[str] = mapped_column(String(8))
    content_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    step: Mapped[int] = mapped_column(Integer, default=1)
    cursor: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    score: Mapped[str | None] = mapped_column(String(8))  # "89.23", a Decimal as text
    coverage: Mapped[str | None] = mapped_column(String(8))
    category: Mapped[str | None] = mapped_column(String(8))


class SelfCheckAnswerRow(Base):
    """Append-only answer history: the latest row per indicator counts; value NULL = skipped."""

    __tablename__ = "selfcheck_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("selfcheck_sessions.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    edition: Mapped[str] = mapped_column(String(8))
    indicator_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[int | None] = mapped_column(Integer)
    content_version: Mapped[str] = mapped_column(String(32))
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # False while the author is not trusted by the unit (a join request still waits): the
    # answer is theirs but does not count for the unit until the request is accepted.
    counted: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class QuizAttemptRow(Base):
    """One /kuis round: the drawn question ids in order and how far the user got."""

    __tablename__ = "quiz_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    drill: Mapped[str] = mapped_column(String(32))
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)  # current question answered
    correct: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="open")
    content_version: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class QuizAnswerRow(Base):
    """One quiz answer; per-user mastery by topic is the sum of these rows."""

    __tablename__ = "quiz_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(64))
    choice: Mapped[str] = mapped_column(String(8))
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime)


# --- reminders ---


class DeadlineRow(Base):
    """An evidence deadline, from content/tenggat.yaml (`source` "content") or made in chat.

    `generation` grows whenever the due date moves; reminder keys include it, so a moved deadline
    is planned afresh, and `planned_from` (the moment of the move) keeps already-passed reminder
    times of the new plan from firing as "late" duplicates. Changing only the reminder days in
    chat keeps the generation (see `ReminderService.edit_offsets`), so no key is planned twice.
    """

    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(2000), default="")
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    offsets: Mapped[list[int]] = mapped_column(JSON)
    # {"all": true} | {"types": [...]} | {"codes": [...]} | {"unit_ids": [...]}, resolved
    # against the active units at every sweep (units come and go with content/units.yaml).
    units: Mapped[dict[str, Any]] = mapped_column(JSON)
    indicators: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    generation: Mapped[int] = mapped_column(Integer, default=1)
    planned_from: Mapped[datetime] = mapped_column(UtcDateTime)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CompletionRow(Base):
    """A unit has its evidence ready for a deadline: who said so and when."""

    __tablename__ = "completions"

    deadline_id: Mapped[int] = mapped_column(
        ForeignKey("deadlines.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    done_at: Mapped[datetime] = mapped_column(UtcDateTime)


#: Every outbox status, in lifecycle order (stats and logs list them so).
OUTBOX_STATUSES = (
    "pending",
    "claimed",
    "sending",
    "sent",
    "unknown",
    "failed",
    "blocked",
    "skipped",
)


class OutboxRow(Base):
    """One message to one person (reminders and escalations merged), sent by whoever claims it.

    status: pending -> claimed -> sending -> sent | failed | unknown | blocked (or skipped).
    "claimed": a sender holds its lease (`claimed_by`, `claim_expires_at`) and the row waits for
    its turn under the rate limits; "sending": its HTTP request to the Bot API has started
    (written and committed right before it). After a crash, or when a lease expires, a claimed
    row goes back to pending and a sending one becomes "unknown" (never resent: Telegram may
    have delivered it). A row retried after a 429 or a network error is pending again.
    """

    __tablename__ = "reminder_outbox"
    # A file sent as a reply to a reminder is matched by (chat, message id).
    __table_args__ = (Index("ix_reminder_outbox_chat_message", "chat_id", "telegram_message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claim_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReminderDeliveryRow(Base):
    """The claim of one reminder key (deadline, generation, user, offset, kind).

    Written when the reminder is planned *or* skipped, so no sweep considers it twice; its status
    follows the outbox row that carries it.
    """

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint(
            "deadline_id",
            "generation",
            "user_id",
            "offset",
            "kind",
            name="uq_reminder_deliveries_key",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id", ondelete="CASCADE"))
    generation: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    offset: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(32))
    planned_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminder_outbox.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SnoozeRow(Base):
    """ "Ingatkan besok": one person's next reminder of one deadline waits until `until`."""

    __tablename__ = "snoozes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    deadline_id: Mapped[int] = mapped_column(
        ForeignKey("deadlines.id", ondelete="CASCADE"), primary_key=True
    )
    until: Mapped[datetime] = mapped_column(UtcDateTime)


# --- broadcasts ---


class BroadcastRow(Base):
    """An admin's announcement: a draft while the flow runs, then queued into the outbox.

    status: draft -> cancelled, or draft -> queued (the confirm, a compare-and-set, so a double
    press queues once)
    -> done (every outbox row final and the summary reported to the admin).
    audience: {"all": true} | {"types": [...]} | {"unit_ids": [...]}.
    """

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(4000))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), index=True)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class BroadcastRecipientRow(Base):
    """One person a broadcast went to, and the outbox row carrying it (one per person)."""

    __tablename__ = "broadcast_recipients"

    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminder_outbox.id", ondelete="SET NULL"), index=True
    )


# --- recap reports ---


class RecapSnapshotRow(Base):
    """The figures a /rekap showed, kept so the next report can say what changed.

    figures: {"<unit id>": {"score": "66.06" | null, "coverage": "40.00" | null}} (Decimals as
    text); unit_id is the scope (a coordinator's unit) or NULL for every unit.
    """

    __tablename__ = "recap_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    edition: Mapped[str] = mapped_column(String(8))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
