"""Evidence files (bukti dukung): attach to an indicator or a deadline, list per unit, fetch back.

A file for a deadline (from a reminder's "📎 Kirim bukti" button, or sent as a reply to a
reminder) belongs to the member's own unit, and only to a deadline that applies to that unit;
anything else is refused (NotAllowed, audited). It is linked to the deadline and, when the
deadline names indicators, to the first of them that exists in the current edition, so it also
counts for that indicator in /bukti and the recap (a deadline normally names one indicator).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.bundle import ContentBundle
from bot.db.models import DeadlineRow, EvidenceRow
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.evidence import EvidenceRepository
from bot.db.repositories.reminder_replies import ReminderReplyRepository
from bot.db.repositories.reminders import ReminderRepository
from bot.db.repositories.units import UnitRepository
from bot.domain.deadlines import ALL_UNITS
from bot.domain.errors import InvalidInput, NotAllowed, NotFound, NotRegistered
from bot.domain.evidence import (
    MAX_BYTES,
    DeadlineTarget,
    Evidence,
    EvidenceFile,
    IncomingFile,
    accept_file,
    clean_caption,
    files_per_deadline,
)
from bot.domain.methodology import Indicator, Methodology
from bot.domain.units import Member, Role, Unit
from bot.services.access import AccessService
from bot.services.clock import Clock
from bot.services.reminders import own_unit, resolve_scope
from bot.services.storage import FileStore
from bot.services.units import active_units

log = logging.getLogger(__name__)
Download = Callable[[], Awaitable[bytes]]


def _evidence(
    row: EvidenceRow, deadline_title: str | None = None, uploader: str | None = None
) -> Evidence:
    return Evidence(
        id=row.id,
        unit_id=row.unit_id,
        edition=row.edition,
        indicator_id=row.indicator_id,
        deadline_id=row.deadline_id,
        kind=row.kind,
        display_name=row.original_name,
        mime_type=row.mime_type,
        size=row.size,
        uploaded_by=row.uploaded_by,
        created_at=row.created_at,
        deadline_title=deadline_title,
        caption=row.caption or "",
        uploader_name=uploader,
    )


class EvidenceService:
    """Evidence use cases; a unit's files are reachable only from that unit or allowed staff."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        access: AccessService,
        content: ContentBundle,
        *,
        edition: str,
        store: FileStore,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._access = access
        self._content = content
        self._edition = edition
        self._store = store
        self._max_bytes = max_bytes

    @property
    def methodology(self) -> Methodology:
        """The current edition's methodology (its dimensions and indicators)."""
        return self._content.methodologies[self._edition]

    def indicator(self, indicator_id: str) -> Indicator:
        """An indicator of the current edition; NotFound otherwise."""
        indicator = self.methodology.indicator(indicator_id)
        if indicator is None:
            raise NotFound("indicator", indicator_id)
        return indicator

    async def attach(
        self, member: Member, *, indicator_id: str, incoming: IncomingFile, download: Download
    ) -> Evidence:
        """Check, download, store and record a file for an indicator of the member's unit.

        Raises:
            NotRegistered: the member has no unit.
            NotFound: the indicator is not in the current edition.
            InvalidInput: ``file/type`` or ``file/too_large`` (audited as a refusal).
        """
        if member.unit_id is None:
            raise NotRegistered()
        self.indicator(indicator_id)
        return await self._store_and_record(
            member,
            unit_id=member.unit_id,
            indicator_id=indicator_id,
            deadline_id=None,
            incoming=incoming,
            download=download,
        )

    async def _store_and_record(
        self,
        member: Member,
        *,
        unit_id: int,
        indicator_id: str | None,
        deadline_id: int | None,
        incoming: IncomingFile,
        download: Download,
    ) -> Evidence:
        """The checks, download, stored copy and row shared by every way of attaching."""
        target: dict[str, Any] = {"indicator_id": indicator_id}
        if deadline_id is not None:
            target["deadline_id"] = deadline_id
        try:
            accepted = accept_file(incoming, max_bytes=self._max_bytes)
            data = await download()
            if len(data) > self._max_bytes:
                raise InvalidInput("file", "too_large")
        except InvalidInput as exc:
            await self._access.audit(
                member,
                "evidence.upload",
                unit_id=unit_id,
                outcome="refused",
                detail={
                    "reason": exc.reason,
                    "mime": incoming.mime_type,
                    "size": incoming.size,
                    **target,
                },
            )
            raise
        async with self._sessions() as session:
            unit = await UnitRepository(session).get(unit_id)
            if unit is None:
                raise NotFound("unit", unit_id)
            unit_code = unit.code
        key = await self._store.save(unit_code, accepted.extension, data)
        try:
            async with self._sessions.begin() as session:
                now = self._clock()
                row = await EvidenceRepository(session).add(
                    unit_id=unit_id,
                    edition=self._edition,
                    indicator_id=indicator_id,
                    deadline_id=deadline_id,
                    kind=incoming.kind,
                    telegram_file_id=incoming.file_id,
                    telegram_file_unique_id=incoming.file_unique_id,
                    storage_key=key,
                    original_name=accepted.display_name,
                    mime_type=accepted.mime_type,
                    size=len(data),
                    uploaded_by=member.user_id,
                    now=now,
                    caption=clean_caption(incoming.caption),
                )
                await AuditRepository(session).add(
                    at=now,
                    actor_user_id=member.user_id,
                    action="evidence.upload",
                    unit_id=unit_id,
                    detail={"evidence_id": row.id, **target},
                )
                return _evidence(row)
        except BaseException:
            await self._store.delete(key)  # no row, no orphan file
            raise

    # --- evidence for a deadline ------------------------------------------------------------

    def _target(self, row: DeadlineRow, unit_id: int) -> DeadlineTarget:
        indicator_id = next(
            (i for i in row.indicators if self.methodology.indicator(i) is not None), None
        )
        return DeadlineTarget(row.id, row.title, unit_id, indicator_id)

    @staticmethod
    def _applies(row: DeadlineRow, unit_id: int, units: list[Unit]) -> bool:
        scope = resolve_scope(row.units, units)
        return scope == ALL_UNITS or unit_id in scope

    async def _refuse(
        self, member: Member, deadline_id: int, why: str, unit_id: int | None = None
    ) -> NotAllowed:
        """Audit and return the refusal; `unit_id` is the unit the attempt was on (the
        deadline's, when it has a single one), else the member's own."""
        await self._access.audit(
            member,
            "evidence.upload",
            unit_id=unit_id if unit_id is not None else member.unit_id,
            outcome="refused",
            detail={"deadline_id": deadline_id, "why": why},
        )
        return NotAllowed("evidence.upload", member.role.value, why)

    async def deadline_target(self, member: Member, deadline_id: int) -> DeadlineTarget:
        """A deadline the member may send evidence for, on behalf of their own unit.

        Raises:
            NotFound: no such deadline, or it is archived.
            NotAllowed: the member has no unit, or the deadline does not apply to their unit
                (audited; whatever the role: evidence always belongs to the sender's unit).
        """
        async with self._sessions() as session:
            row = await ReminderRepository(session).deadline(deadline_id)
            if row is None or row.archived:
                raise NotFound("deadline", deadline_id)
            unit_id = member.unit_id
            applies = unit_id is not None and self._applies(
                row, unit_id, await active_units(session)
            )
            concerned = own_unit(row.units)
        if unit_id is None:
            raise await self._refuse(member, deadline_id, "no_unit", concerned)
        if not applies:
            raise await self._refuse(member, deadline_id, "other_unit", concerned)
        return self._target(row, unit_id)

    async def attach_to_deadline(
        self, member: Member, *, deadline_id: int, incoming: IncomingFile, download: Download
    ) -> tuple[Evidence, DeadlineTarget]:
        """Check, download, store and record a file for a deadline of the member's unit.

        Raises NotFound / NotAllowed as `deadline_target`, InvalidInput as `attach`.
        """
        target = await self.deadline_target(member, deadline_id)
        item = await self._store_and_record(
            member,
            unit_id=target.unit_id,
            indicator_id=target.indicator_id,
            deadline_id=target.deadline_id,
            incoming=incoming,
            download=download,
        )
        return replace(item, deadline_title=target.title), target

    async def reminder_targets(
        self, member: Member, *, chat_id: int, message_id: int
    ) -> tuple[DeadlineTarget, ...]:
        """The deadlines of the reminder sent as `message_id` in `chat_id` that the member may
        still send evidence for (one message can merge several deadlines).

        Raises:
            NotFound: that message is not a reminder (a broadcast, an escalation-only summary,
                any other message), or none of its deadlines is still open to the member.
            NotAllowed: the reminder was sent to someone else (audited).
        """
        async with self._sessions() as session:
            replies = ReminderReplyRepository(session)
            sent = await replies.sent_message(chat_id, message_id)
            if sent is None:
                raise NotFound("reminder", message_id)
            owner = sent.user_id
            ids = await replies.reminded_deadlines(sent.id)
            rows = await ReminderRepository(session).deadlines_by_ids(ids)
            unit_id = member.unit_id
            units = await active_units(session)
            open_rows = [
                rows[i]
                for i in ids
                if i in rows
                and not rows[i].archived
                and unit_id is not None
                and self._applies(rows[i], unit_id, units)
            ]
        if owner != member.user_id:
            raise await self._refuse(member, ids[0] if ids else 0, "not_your_reminder")
        if not ids:
            raise NotFound("reminder", message_id)
        if unit_id is None or not open_rows:
            raise NotFound("deadline", ids[0])
        return tuple(self._target(row, unit_id) for row in open_rows)

    async def counts_by_deadline(
        self, member: Member, deadline_ids: Iterable[int]
    ) -> dict[int, int]:
        """Evidence files per deadline that the member may know about: their own unit's, or
        every unit's for admins without a unit of their own. A file filed under an indicator
        counts for every deadline that links that indicator, as well as one sent for it."""
        ids = list(deadline_ids)
        if not ids:
            return {}
        if member.unit_id is not None:
            unit: int | None = member.unit_id
        elif member.role is Role.ADMIN:
            unit = None
        else:
            return {}
        async with self._sessions() as session:
            rows = await ReminderRepository(session).deadlines_by_ids(ids)
            linked = {i: tuple(rows[i].indicators) if i in rows else () for i in ids}
            files = await EvidenceRepository(session).links(
                unit_id=unit,
                deadline_ids=ids,
                indicator_ids={n for names in linked.values() for n in names},
                edition=self._edition,
            )
        return files_per_deadline(linked, files)

    async def list_for_unit(self, member: Member, *, unit_id: int) -> list[Evidence]:
        """A unit's files of the current edition; another unit's only for staff allowed there."""
        if unit_id != member.unit_id:
            await self._access.require(
                member, "evidence.fetch", unit_id=unit_id, detail={"what": "list"}
            )
        async with self._sessions() as session:
            rows = await EvidenceRepository(session).list_for_unit(
                unit_id=unit_id, edition=self._edition
            )
            reminders = ReminderRepository(session)
            deadlines = await reminders.deadlines_by_ids(
                {row.deadline_id for row in rows if row.deadline_id is not None}
            )
            users = await reminders.users_by_ids(
                {row.uploaded_by for row in rows if row.uploaded_by is not None}
            )
            return [
                _evidence(
                    row,
                    deadlines[row.deadline_id].title if row.deadline_id in deadlines else None,
                    users[row.uploaded_by].display_name if row.uploaded_by in users else None,
                )
                for row in rows
            ]

    async def _allowed_unit(self, member: Member, evidence_id: int, action: str) -> int:
        """The unit that owns the file, once `member` may do `action` to it.

        Raises NotFound for an unknown id and NotAllowed (audited) for anyone else, so a forged
        id never reveals another unit's file.
        """
        async with self._sessions() as session:
            unit_id = await EvidenceRepository(session).unit_of(evidence_id)
        if unit_id is None:
            raise NotFound("evidence", evidence_id)
        await self._access.require(
            member, action, unit_id=unit_id, detail={"evidence_id": evidence_id}
        )
        return unit_id

    async def fetch(self, member: Member, evidence_id: int) -> EvidenceFile:
        """A file to send back into the chat (coordinators of its unit and admins only).

        Raises NotFound for an unknown id and NotAllowed (audited) for anyone else, so a
        forged id never reveals another unit's file.
        """
        unit_id = await self._allowed_unit(member, evidence_id, "evidence.fetch")
        async with self._sessions.begin() as session:
            row = await EvidenceRepository(session).get(evidence_id, unit_id=unit_id)
            if row is None:
                raise NotFound("evidence", evidence_id)
            await AuditRepository(session).add(
                at=self._clock(),
                actor_user_id=member.user_id,
                action="evidence.fetch",
                unit_id=unit_id,
                detail={"evidence_id": evidence_id},
            )
            path = self._store.path(row.storage_key)
            return EvidenceFile(
                _evidence(row), str(path) if path.is_file() else None, row.telegram_file_id
            )

    async def delete(self, member: Member, evidence_id: int) -> Evidence:
        """Remove a file (coordinators of its unit and admins): row and stored copy, audited.

        Raises NotFound for an unknown id and NotAllowed (audited) for anyone else.
        """
        unit_id = await self._allowed_unit(member, evidence_id, "evidence.delete")
        async with self._sessions.begin() as session:
            row = await EvidenceRepository(session).get(evidence_id, unit_id=unit_id)
            if row is None:
                raise NotFound("evidence", evidence_id)
            gone, key = _evidence(row), row.storage_key
            await session.delete(row)
            await AuditRepository(session).add(
                at=self._clock(),
                actor_user_id=member.user_id,
                action="evidence.delete",
                unit_id=unit_id,
                detail={
                    "evidence_id": evidence_id,
                    "indicator_id": row.indicator_id,
                    "deadline_id": row.deadline_id,
                    "name": row.original_name,
                    "uploaded_by": row.uploaded_by,
                },
            )
        try:
            await self._store.delete(key)
        except OSError:  # the row is gone; a stray copy is logged, not fatal
            log.warning("could not remove stored evidence file %s", key, exc_info=True)
        return gone

    async def manageable(self, member: Member, evidence_id: int) -> Evidence:
        """A file the member may delete or replace (the same check as `delete`), with its
        uploader's name and deadline title."""
        async with self._sessions() as session:
            files = EvidenceRepository(session)
            unit_id = await files.unit_of(evidence_id)
            row = None if unit_id is None else await files.get(evidence_id, unit_id=unit_id)
            if unit_id is None or row is None:
                raise NotFound("evidence", evidence_id)
            reminders = ReminderRepository(session)
            deadline = await reminders.deadline(row.deadline_id) if row.deadline_id else None
            users = await reminders.users_by_ids([row.uploaded_by] if row.uploaded_by else [])
        await self._access.require(
            member, "evidence.delete", unit_id=unit_id, detail={"evidence_id": evidence_id}
        )
        uploader = users[row.uploaded_by].display_name if row.uploaded_by in users else None
        return _evidence(row, deadline.title if deadline else None, uploader)
