"""Who is behind an update: identify members, keep their preferences, claim update ids."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import FlowStateRow, UserRow
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.updates import (
    CURRENT_UPDATE,
    Claim,
    UpdateInProgress,
    UpdateRepository,
)
from bot.db.repositories.users import UserRepository
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.units import Member, Role
from bot.services.clock import Clock
from bot.services.flows import Flow

LANGUAGES = ("id", "en")
# Telegram redelivers an unacknowledged update for at most 24 hours.
UPDATE_MEMORY = timedelta(days=2)
# An update claimed by another process that committed nothing for this long is taken over by
# a redelivery (that process is taken for dead); under long polling at once (see `handling`).
UPDATE_TAKEOVER = timedelta(seconds=60)
# How precisely "last seen" is kept (saves an UPDATE of the user row on most updates).
SEEN_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Arrival:
    """What the pre-filter needs for one update: the member, their flow, and whether it is new."""

    member: Member
    flow: Flow | None
    duplicate: bool


def to_member(
    row: UserRow, *, admin_ids: frozenset[int], default_tz: str, default_locale: str
) -> Member:
    """Turn a user row into the domain Member; settings' admins are always admins."""
    role = Role.ADMIN if row.telegram_id in admin_ids else Role(row.role)
    return Member(
        user_id=row.id,
        telegram_id=row.telegram_id,
        display_name=row.display_name,
        role=role,
        unit_id=row.unit_id,
        language=row.language or default_locale,
        timezone=row.timezone or default_tz,
        active=row.active,
        pending_unit_id=row.pending_unit_id,
    )


class MemberService:
    """Identifies the person behind each update in one short transaction."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        admin_ids: frozenset[int],
        default_tz: str,
        default_locale: str,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._admin_ids = admin_ids
        self._default_tz = default_tz
        self._default_locale = default_locale
        self.worker = f"u-{secrets.token_hex(6)}"
        #: Long polling: Telegram lets one process poll, so a claim of another is a dead one's.
        self.sole_consumer = False

    @contextlib.asynccontextmanager
    async def handling(self) -> AsyncIterator[UpdateInProgress]:
        """Around the handling of one update (all its handlers).

        `arrive` claims the update id for this process; the id becomes processed in the same
        transaction as the first change a handler commits (bot/db/repositories/updates.py),
        or here, after the handlers, if none committed anything. So an update is processed
        once: a crash before that commit leaves a claim that a redelivery takes over.
        """
        current = UpdateInProgress(worker=self.worker)
        token = CURRENT_UPDATE.set(current)
        try:
            yield current
        finally:
            CURRENT_UPDATE.reset(token)
        if current.update_id is not None and not current.processed:
            async with self._sessions.begin() as session:
                await UpdateRepository(session).mark_processed(current.update_id, self.worker)
            current.processed = True

    def _member(self, row: UserRow) -> Member:
        return to_member(
            row,
            admin_ids=self._admin_ids,
            default_tz=self._default_tz,
            default_locale=self._default_locale,
        )

    async def arrive(
        self,
        *,
        update_id: int | None,
        telegram_id: int,
        chat_id: int | None,
        display_name: str,
        language_code: str | None,
    ) -> Arrival:
        """Claim the update id, create or refresh the user, and load their flow.

        A user who wrote to the bot again is active again (they may have unblocked it), unless an
        admin deactivated them. Inside `handling` the id is only claimed here (processed with the
        handler's first commit); outside it (tests, scripts) it is recorded processed at once.
        """
        now = self._clock()
        current = CURRENT_UPDATE.get()
        async with self._sessions.begin() as session:
            duplicate = False
            if update_id is not None:
                claim = await UpdateRepository(session).claim(
                    update_id,
                    now,
                    worker=self.worker if current is not None else None,
                    take_over_before=now - UPDATE_TAKEOVER,
                    take_over_any=self.sole_consumer,
                )
                duplicate = claim is Claim.REPEATED
            users = UserRepository(session)
            found = await users.by_telegram_id_with_flow(telegram_id)
            language = language_code if language_code in LANGUAGES else None
            flow_row: FlowStateRow | None = None
            if found is None:
                row = await users.add(
                    telegram_id=telegram_id,
                    chat_id=chat_id,
                    display_name=display_name[:200],
                    language=language,
                    now=now,
                )
            else:
                row, flow_row = found
            if found is not None and not duplicate:
                # Assigning an unchanged value writes nothing; last_seen_at only moves once a
                # minute, so most updates do not UPDATE the user row at all.
                row.display_name = display_name[:200] or row.display_name
                if chat_id is not None:
                    row.chat_id = chat_id
                if row.last_seen_at is None or now - row.last_seen_at >= SEEN_GRANULARITY:
                    row.last_seen_at = now
                # Unblocking the bot reactivates; an admin's deactivation stays until undone.
                row.active, row.blocked = row.deactivated_at is None, False
            flow = (
                None
                if flow_row is None
                else Flow(
                    flow_row.flow,
                    flow_row.step,
                    dict(flow_row.data),
                    flow_row.revision,
                    flow_row.updated_at,
                )
            )
            arrival = Arrival(self._member(row), flow, duplicate)
        if current is not None and update_id is not None and not duplicate:
            current.update_id = update_id  # set after this commit: it is not the handler's
        return arrival

    async def get(self, user_id: int) -> Member:
        """A member by internal id."""
        async with self._sessions() as session:
            row = await UserRepository(session).get(user_id)
            if row is None:
                raise NotFound("user", user_id)
            return self._member(row)

    async def set_language(self, user_id: int, language: str) -> Member:
        """Change the member's UI language ('id' or 'en')."""
        if language not in LANGUAGES:
            raise InvalidInput("language", "unknown")
        return await self._update(user_id, language=language)

    async def set_timezone(self, user_id: int, timezone: str) -> Member:
        """Change the member's time zone (an IANA name)."""
        return await self._update(user_id, timezone=timezone)

    async def _update(self, user_id: int, **values: object) -> Member:
        async with self._sessions.begin() as session:
            row = await UserRepository(session).get(user_id)
            if row is None:
                raise NotFound("user", user_id)
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = self._clock()
            await AuditRepository(session).add(
                at=self._clock(),
                actor_user_id=user_id,
                action="settings.update",
                unit_id=row.unit_id,
                detail={k: str(v) for k, v in values.items()},
            )
            return self._member(row)

    async def prune_updates(self) -> int:
        """Forget processed update ids older than Telegram's redelivery window."""
        async with self._sessions.begin() as session:
            return await UpdateRepository(session).prune(self._clock() - UPDATE_MEMORY)
