"""Evidence files (bukti dukung): attach to an indicator, list per unit, fetch back."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.bundle import ContentBundle
from bot.db.models import EvidenceRow
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.evidence import EvidenceRepository
from bot.db.repositories.units import UnitRepository
from bot.domain.errors import InvalidInput, NotFound, NotRegistered
from bot.domain.evidence import MAX_BYTES, Evidence, EvidenceFile, IncomingFile, accept_file
from bot.domain.methodology import Indicator, Methodology
from bot.domain.units import Member
from bot.services.access import AccessService
from bot.services.clock import Clock
from bot.services.storage import FileStore

log = logging.getLogger(__name__)
Download = Callable[[], Awaitable[bytes]]


def _evidence(row: EvidenceRow) -> Evidence:
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
        unit_id = member.unit_id
        self.indicator(indicator_id)
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
                detail={"reason": exc.reason, "mime": incoming.mime_type, "size": incoming.size},
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
                    deadline_id=None,
                    kind=incoming.kind,
                    telegram_file_id=incoming.file_id,
                    telegram_file_unique_id=incoming.file_unique_id,
                    storage_key=key,
                    original_name=accepted.display_name,
                    mime_type=accepted.mime_type,
                    size=len(data),
                    uploaded_by=member.user_id,
                    now=now,
                )
                await AuditRepository(session).add(
                    at=now,
                    actor_user_id=member.user_id,
                    action="evidence.upload",
                    unit_id=unit_id,
                    detail={"evidence_id": row.id, "indicator_id": indicator_id},
                )
                return _evidence(row)
        except BaseException:
            await self._store.delete(key)  # no row, no orphan file
            raise

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
            return [_evidence(row) for row in rows]

    async def fetch(self, member: Member, evidence_id: int) -> EvidenceFile:
        """A file to send back into the chat (coordinators of its unit and admins only).

        Raises NotFound for an unknown id and NotAllowed (audited) for anyone else, so a
        forged id never reveals another unit's file.
        """
        async with self._sessions() as session:
            unit_id = await EvidenceRepository(session).unit_of(evidence_id)
        if unit_id is None:
            raise NotFound("evidence", evidence_id)
        await self._access.require(
            member, "evidence.fetch", unit_id=unit_id, detail={"evidence_id": evidence_id}
        )
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
