"""A unit's answers under review: changes since the coordinator last looked, disagreements
between members on one indicator, and the coordinator settling them (services layer).

Who may change a unit's answers is decided by membership (domain/membership.py): answers of
people the unit has not accepted never count. Settling writes the chosen value as a new,
counted answer by the coordinator (in a one-answer session with status "settled"), so it
becomes the unit's value through the same unit-score function as every other answer.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.bundle import ContentBundle
from bot.db.models import SelfCheckAnswerRow, SelfCheckSessionRow
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.membership import MembershipRepository
from bot.db.repositories.selfcheck import SelfCheckRepository
from bot.domain.errors import InvalidAnswer, NotFound, NotRegistered
from bot.domain.membership import AnswerRecord, UnitReview, changes_since, disagreements
from bot.domain.roles import allowed
from bot.domain.units import Member
from bot.services.access import AccessService
from bot.services.clock import Clock

SHOWN_CHANGES = 10


class ReviewService:
    """Coordinators' view of their unit's answers, and settling disagreements."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        content: ContentBundle,
        access: AccessService,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._content = content
        self._access = access

    async def review(self, member: Member, *, edition: str) -> UnitReview | None:
        """Changes since the member last looked and open disagreements (None: not a reviewer).

        Looking moves the member's "last seen" mark to the newest answer.
        """
        unit_id = member.unit_id
        if unit_id is None or not allowed(member, "selfcheck.settle", unit_id):
            return None
        async with self._sessions.begin() as session:
            repo = SelfCheckRepository(session)
            records = [
                AnswerRecord(
                    row.id, row.indicator_id, row.user_id, name, row.value, row.answered_at
                )
                for row, name in await repo.counted_values(unit_id=unit_id, edition=edition)
                if row.value is not None
            ]
            reviews = MembershipRepository(session)
            seen = await reviews.review(member.user_id, unit_id, edition)
            seen_id = seen.seen_answer_id if seen is not None else 0
            changes = [
                change
                for change in changes_since(records, seen_id)
                if self._known(edition, change.indicator_id)
            ]
            open_ones = disagreements(
                records, await repo.settled(unit_id=unit_id, edition=edition)
            )
            if records:
                await reviews.mark_reviewed(
                    member.user_id,
                    unit_id,
                    edition,
                    answer_id=records[-1].id,
                    now=self._clock(),
                )
        return UnitReview(
            edition,
            unit_id,
            tuple(changes[-SHOWN_CHANGES:]),
            tuple(d for d in open_ones if self._known(edition, d.indicator_id)),
            seen is None,
        )

    def _known(self, edition: str, indicator_id: str) -> bool:
        methodology = self._content.methodologies.get(edition)
        return methodology is not None and methodology.indicator(indicator_id) is not None

    async def settle(self, member: Member, *, edition: str, indicator_id: str, value: int) -> None:
        """The coordinator decides one indicator for the unit (audited, old -> new).

        Raises:
            NotRegistered: the member has no unit. NotAllowed: not a coordinator/admin of it.
            NotFound: unknown edition or indicator. InvalidAnswer: not one of its options.
        """
        unit_id = member.unit_id
        if unit_id is None:
            raise NotRegistered()
        await self._access.require(
            member, "selfcheck.settle", unit_id=unit_id, detail={"indicator": indicator_id}
        )
        methodology = self._content.methodologies.get(edition)
        indicator = methodology.indicator(indicator_id) if methodology else None
        if indicator is None:
            raise NotFound("indicator", indicator_id)
        if not any(option.value == value for option in indicator.options):
            raise InvalidAnswer(indicator_id, value)
        now = self._clock()
        async with self._sessions.begin() as session:
            repo = SelfCheckRepository(session)
            old = await repo.latest_counted_value(
                unit_id=unit_id, edition=edition, indicator_id=indicator_id
            )
            row = SelfCheckSessionRow(
                user_id=member.user_id,
                unit_id=unit_id,
                edition=edition,
                content_version=self._content.version,
                status="settled",
                step=1,
                cursor=None,
                started_at=now,
                updated_at=now,
                finished_at=now,
            )
            session.add(row)
            await session.flush()
            session.add(
                SelfCheckAnswerRow(
                    session_id=row.id,
                    unit_id=unit_id,
                    user_id=member.user_id,
                    edition=edition,
                    indicator_id=indicator_id,
                    value=value,
                    content_version=self._content.version,
                    answered_at=now,
                    counted=True,
                )
            )
            await AuditRepository(session).add(
                at=now,
                actor_user_id=member.user_id,
                action="selfcheck.settle",
                unit_id=unit_id,
                detail={"edition": edition, "indicator": indicator_id, "old": old, "new": value},
            )
