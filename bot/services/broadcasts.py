"""Broadcasts (/siaran): an admin's plain-text announcement to everyone, a unit type or units.

The draft lives in the database from the moment the text is typed; the audience is chosen on
it; "Kirim" turns it from draft into queued with a compare-and-set, so a double press, a stale
button or a second process queues it once. Queuing writes one reminder-outbox row per reachable
person (payload {"b": id}), so the same paced sender, rate limits, retries and block handling
as reminders deliver it. When every row is final, `finished` reports the counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import BroadcastRow, UserRow
from bot.db.repositories.broadcasts import BroadcastRepository
from bot.db.repositories.units import UnitRepository
from bot.domain.errors import InvalidInput, StaleAction
from bot.domain.units import Member, Unit
from bot.services.access import AccessService
from bot.services.clock import Clock

ACTION = "broadcast.send"
MAX_TEXT = 3500  # room for the header under Telegram's 4096 characters
PENDING = ("pending", "claimed", "sending")
PROBLEMS_SHOWN = 20  # undelivered recipients named in the summary (the rest are counted)


@dataclass(frozen=True, slots=True)
class BroadcastPreview:
    """A draft as the admin sees it: text, audience, how many people it would reach."""

    broadcast_id: int
    text: str
    audience: dict[str, Any]
    recipients: int
    types: tuple[str, ...]
    units: tuple[Unit, ...]
    status: str


@dataclass(frozen=True, slots=True)
class BroadcastSummary:
    """Delivery counts of a finished broadcast, for the admin who sent it."""

    broadcast_id: int
    chat_id: int | None
    language: str
    recipients: int
    sent: int
    blocked: int
    failed: int
    skipped: int
    #: Who did not get it and why: (name, unit name or "", status, Telegram's error or None).
    problems: tuple[tuple[str, str, str, str | None], ...] = ()


def _unit(row: Any) -> Unit:
    return Unit(
        id=row.id,
        code=row.code,
        name=row.name,
        type=row.type,
        government_code="",
        timezone=row.timezone,
    )


def audience_units(audience: dict[str, Any], units: tuple[Unit, ...]) -> set[int] | None:
    """The unit ids an audience names; None means everyone (registered to a unit or not)."""
    if audience.get("all"):
        return None
    if "types" in audience:
        wanted = set(audience["types"])
        return {u.id for u in units if u.type in wanted}
    return {u.id for u in units if u.id in set(audience.get("unit_ids", []))}


class BroadcastService:
    """Use cases of /siaran (admins only: every method checks "broadcast.send")."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, access: AccessService
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._access = access

    async def begin(self, member: Member) -> None:
        """Check the role before the flow starts (raises NotAllowed, audited)."""
        await self._access.require(member, ACTION)

    async def draft(self, member: Member, text: str) -> BroadcastPreview:
        """Store the typed text as a draft addressed to everyone.

        Raises:
            InvalidInput: empty or too long ("text", "empty" | "too_long").
        """
        await self._access.require(member, ACTION)
        text = text.strip()
        if not text:
            raise InvalidInput("text", "empty")
        if len(text) > MAX_TEXT:
            raise InvalidInput("text", "too_long")
        async with self._sessions.begin() as session:
            row = await BroadcastRepository(session).add(
                created_by=member.user_id, text=text, now=self._clock()
            )
            row.audience = {"all": True}
            return await self._preview(session, row)

    async def preview(self, member: Member, broadcast_id: int) -> BroadcastPreview:
        """The draft again (raises StaleAction unless it is this admin's open draft)."""
        await self._access.require(member, ACTION)
        async with self._sessions() as session:
            return await self._preview(session, await self._draft(session, member, broadcast_id))

    async def choose(
        self, member: Member, broadcast_id: int, audience: dict[str, Any]
    ) -> BroadcastPreview:
        """Address the draft to {"all": True}, {"types": [t]} or {"unit_ids": []}."""
        await self._access.require(member, ACTION)
        async with self._sessions.begin() as session:
            row = await self._draft(session, member, broadcast_id)
            units = await self._units(session)
            if "types" in audience:
                types = [t for t in audience["types"] if t in {u.type for u in units}]
                if not types:
                    raise StaleAction()
                audience = {"types": types}
            elif not audience.get("all"):
                audience = {"unit_ids": []}
            row.audience = audience
            return await self._preview(session, row)

    async def toggle_unit(
        self, member: Member, broadcast_id: int, unit_id: int
    ) -> BroadcastPreview:
        """Add or remove one unit of a chosen-units audience."""
        await self._access.require(member, ACTION)
        async with self._sessions.begin() as session:
            row = await self._draft(session, member, broadcast_id)
            if unit_id not in {u.id for u in await self._units(session)}:
                raise StaleAction()
            chosen = set(row.audience.get("unit_ids", []))
            chosen ^= {unit_id}
            row.audience = {"unit_ids": sorted(chosen)}
            return await self._preview(session, row)

    async def confirm(
        self, member: Member, broadcast_id: int, *, signature: str = ""
    ) -> BroadcastPreview:
        """Queue the draft for delivery, exactly once, signed with `signature` (who sends it:
        name, role and unit, worded by the caller) under the text.

        Raises:
            StaleAction: already queued (double press), not this admin's, or unknown.
            InvalidInput: nobody would receive it ("audience", "empty").
        """
        await self._access.require(member, ACTION)
        now = self._clock()
        async with self._sessions.begin() as session:
            repo = BroadcastRepository(session)
            row = await self._draft(session, member, broadcast_id)
            users = await self._recipients(session, row)
            if not users:
                raise InvalidInput("audience", "empty")
            if not await repo.claim_queue(broadcast_id, created_by=member.user_id, now=now):
                raise StaleAction()
            if signature:
                row.text = f"{row.text}\n\n— {signature}"
            row.recipients = await repo.enqueue(broadcast_id, users, now)
            row.status = "queued"
            preview = await self._preview(session, row)
        await self._access.audit(
            member,
            ACTION,
            detail={
                "broadcast": broadcast_id,
                "recipients": preview.recipients,
                "audience": preview.audience,
            },
        )
        return preview

    async def cancel(self, member: Member, broadcast_id: int) -> None:
        """Drop the draft: its buttons stop working (StaleAction if it is not open)."""
        await self._access.require(member, ACTION)
        async with self._sessions.begin() as session:
            row = await self._draft(session, member, broadcast_id)
            row.status = "cancelled"

    async def finished(self) -> list[BroadcastSummary]:
        """Queued broadcasts whose outbox rows are all final: mark done, return their counts."""
        now = self._clock()
        summaries = []
        async with self._sessions.begin() as session:
            repo = BroadcastRepository(session)
            for row in await repo.queued():
                counts = await repo.statuses(row.id)
                if any(counts.get(status) for status in PENDING):
                    continue
                summary = {
                    "sent": counts.get("sent", 0),
                    "blocked": counts.get("blocked", 0),
                    "failed": counts.get("failed", 0) + counts.get("unknown", 0),
                    "skipped": counts.get("skipped", 0),
                }
                if not await repo.finish(row.id, summary=summary, now=now):
                    continue
                problems = await self._problems(session, row.id)
                admin = (
                    await session.get(UserRow, row.created_by)
                    if row.created_by is not None
                    else None
                )
                summaries.append(
                    BroadcastSummary(
                        row.id,
                        int(admin.chat_id or admin.telegram_id) if admin else None,
                        (admin.language if admin else None) or "id",
                        row.recipients,
                        **summary,
                        problems=problems,
                    )
                )
        return summaries

    # --- helpers --------------------------------------------------------------------------

    async def _problems(
        self, session: AsyncSession, broadcast_id: int
    ) -> tuple[tuple[str, str, str, str | None], ...]:
        failed = await BroadcastRepository(session).undelivered(
            broadcast_id, ("blocked", "failed", "unknown")
        )
        names = {u.id: u.name for u in await self._units(session)}
        problems = []
        for user_id, status, error in failed[:PROBLEMS_SHOWN]:
            user = await session.get(UserRow, user_id)
            name = user.display_name if user is not None else "?"
            unit = names.get(user.unit_id, "") if user is not None and user.unit_id else ""
            problems.append((name, unit, status, error))
        return tuple(problems)

    async def _draft(
        self, session: AsyncSession, member: Member, broadcast_id: int
    ) -> BroadcastRow:
        row = await BroadcastRepository(session).get(broadcast_id)
        if row is None or row.status != "draft" or row.created_by != member.user_id:
            raise StaleAction()
        return row

    async def _units(self, session: AsyncSession) -> tuple[Unit, ...]:
        return tuple(_unit(r) for r in await UnitRepository(session).list_active())

    async def _recipients(self, session: AsyncSession, row: BroadcastRow) -> list[UserRow]:
        wanted = audience_units(row.audience, await self._units(session))
        return [
            u
            for u in await BroadcastRepository(session).reachable()
            if wanted is None or u.unit_id in wanted
        ]

    async def _preview(self, session: AsyncSession, row: BroadcastRow) -> BroadcastPreview:
        units = await self._units(session)
        count = (
            row.recipients if row.status != "draft" else len(await self._recipients(session, row))
        )
        return BroadcastPreview(
            row.id,
            row.text,
            dict(row.audience),
            count,
            tuple(sorted({u.type for u in units})),
            units,
            row.status,
        )
