"""The services the transport layers use, wired together by app.py."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.content.bundle import ContentBundle
from bot.services.access import AccessService
from bot.services.broadcasts import BroadcastService
from bot.services.clock import Clock
from bot.services.evidence import EvidenceService
from bot.services.flows import FlowService
from bot.services.members import MemberService
from bot.services.membership import MembershipService
from bot.services.qa import QAService
from bot.services.quizzes import QuizService
from bot.services.recap import RecapService
from bot.services.reminders import ReminderService
from bot.services.reviews import ReviewService
from bot.services.selfcheck import SelfCheckService
from bot.services.units import UnitService
from bot.services.users import UserAdminService


@dataclass(slots=True)
class Services:
    """One instance per process; handlers reach it as context.services."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    content: ContentBundle
    members: MemberService
    units: UnitService
    flows: FlowService
    access: AccessService
    qa: QAService
    users: UserAdminService
    evidence: EvidenceService
    selfcheck: SelfCheckService
    quizzes: QuizService
    reminders: ReminderService
    recap: RecapService
    broadcasts: BroadcastService
    membership: MembershipService
    reviews: ReviewService
