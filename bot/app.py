"""Composition root: build services and the python-telegram-bot Application by hand."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable
from datetime import timedelta
from typing import Any

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.content.bundle import ContentBundle, load_content
from bot.db import migrate
from bot.db.session import create_engine, create_session_factory
from bot.domain.units import Role
from bot.handlers import (
    broadcast,
    cancel,
    errors,
    evidence,
    evidence_offer,
    fallback,
    flows,
    members,
    membership,
    qa,
    quiz,
    recap,
    reminder_evidence,
    review,
    selfcheck,
    start,
)
from bot.handlers import help as help_handlers
from bot.handlers import reminders as reminder_handlers
from bot.handlers import settings as settings_handlers
from bot.handlers import users as users_handlers
from bot.handlers.commands import menu_for
from bot.handlers.context import BotContext
from bot.i18n import Catalogs, load_catalogs
from bot.jobs import maintenance
from bot.jobs import reminders as reminder_jobs
from bot.observability import bot_id_salt, instrument, observe
from bot.services.access import AccessService
from bot.services.broadcasts import BroadcastService
from bot.services.clock import Clock, system_clock
from bot.services.container import Services
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
from bot.services.storage import FileStore
from bot.services.units import UnitService
from bot.services.users import UserAdminService

log = logging.getLogger(__name__)

# Telegram: about 30 messages per second overall, 20 per minute in a group.
# https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
OVERALL_PER_SECOND = 30
GROUP_PER_MINUTE = 20
# The update types every handler together needs; polling and setWebhook ask for the same.
ALLOWED_UPDATES = ["message", "callback_query", "edited_message"]
# Updates handled at once per process. Each holds a database connection now and then; far
# more of them than the pool's 15 connections (SQLAlchemy's 5 + 10 overflow) only makes them
# queue for connections, and under load some waited past the pool's 30 s timeout (found by
# benchmarks/load.py on PostgreSQL). Waiting in PTB's queue instead is fair (first come).
MAX_CONCURRENT_UPDATES = 64


class BotApplication(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's Application, handling each update inside `MemberService.handling`.

    There the update id is claimed on arrival and recorded as processed together with the
    handler's first committed change, so a crash in between loses no update (see
    bot/db/repositories/updates.py). Wrapping `process_update` covers polling, webhook and
    the tests, which call it directly.
    """

    async def process_update(self, update: object) -> None:
        services: Services | None = self.bot_data.get("services")
        if services is None or not isinstance(update, Update):
            await super().process_update(update)
            return
        async with services.members.handling():
            await super().process_update(update)


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Handle updates of different users concurrently, but one user's updates in order.

    A double press or two quick messages from one person then cannot race each other through
    a flow, while one slow user never holds up the others.
    """

    def __init__(
        self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES, *, log_salt: str = ""
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._salt = log_salt

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            await observe(update, coroutine, salt=self._salt)
            return
        lock = self._locks.get(user.id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[user.id] = lock
        async with lock:
            # Latency is measured from when the user's turn starts, one line per update.
            await observe(update, coroutine, salt=self._salt)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to release."""


async def build_services(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    content: ContentBundle | None = None,
    upgrade: bool = True,
) -> Services:
    """Load content, open the database (migrating it to head) and sync units.

    Raises ContentInvalid for broken content before touching the database.
    """
    bundle = content if content is not None else load_content(settings.content_dir)
    edition = settings.edition_for(bundle.methodologies)
    engine = create_engine(settings.database_url)
    sessions = create_session_factory(engine)
    access = AccessService(sessions, clock)
    selfcheck_service = SelfCheckService(sessions, clock, bundle, access, current_edition=edition)
    services = Services(
        engine=engine,
        sessions=sessions,
        clock=clock,
        content=bundle,
        members=MemberService(
            sessions,
            clock,
            admin_ids=settings.admin_ids,
            default_tz=settings.timezone,
            default_locale=settings.default_locale,
        ),
        units=UnitService(sessions, clock),
        flows=FlowService(sessions, clock),
        qa=QAService(sessions, clock, bundle),
        access=access,
        users=UserAdminService(sessions, clock, access, admin_ids=settings.admin_ids),
        evidence=EvidenceService(
            sessions,
            clock,
            access,
            bundle,
            edition=edition,
            store=FileStore(settings.storage_dir),
        ),
        selfcheck=selfcheck_service,
        quizzes=QuizService(sessions, clock, bundle),
        reminders=ReminderService(
            sessions,
            clock,
            access=access,
            content=bundle,
            admin_ids=settings.admin_ids,
            default_tz=settings.timezone,
            grace=timedelta(hours=settings.reminder_grace_hours),
            lease=timedelta(seconds=settings.reminder_lease_seconds),
            single_sender=engine.dialect.name == "sqlite",
        ),
        recap=RecapService(
            sessions, clock, bundle, access, selfcheck_service, default_tz=settings.timezone
        ),
        broadcasts=BroadcastService(sessions, clock, access),
        membership=MembershipService(
            sessions,
            clock,
            access,
            admin_ids=settings.admin_ids,
            open_join=settings.open_join,
            default_locale=settings.default_locale,
        ),
        reviews=ReviewService(sessions, clock, bundle, access),
    )
    # Processes starting together take turns (PostgreSQL advisory lock) to migrate and sync.
    async with migrate.startup_lock(engine):
        if upgrade:
            await migrate.upgrade(engine)
        await services.units.sync(bundle.units)
        await services.reminders.sync_timeline(bundle.deadlines)
    return services


def build_application(
    settings: Settings,
    services: Services,
    *,
    catalogs: Catalogs | None = None,
    request: BaseRequest | None = None,
    rate_limit: bool = True,
    rate_limiter: reminder_jobs.BulkAwareRateLimiter | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Build the Application with every handler, in a fixed order (see comments).

    `rate_limiter` replaces the default limiter (tests give one on a virtual clock);
    `rate_limit=False` runs without any.
    """
    if settings.token is None:
        raise ValueError("BOT_TOKEN is required to build the application")
    builder = (
        ApplicationBuilder()
        .application_class(BotApplication)
        .token(settings.token.get_secret_value())
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_file_url)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(
            PerUserUpdateProcessor(log_salt=bot_id_salt(settings.token.get_secret_value()))
        )
        .post_init(_post_init)
        .post_stop(reminder_jobs.stop)
    )
    if rate_limit:
        # Bulk reminder sends share the overall limit but are never retried by it (jobs/reminders).
        builder = builder.rate_limiter(
            rate_limiter  # type: ignore[arg-type]
            or reminder_jobs.BulkAwareRateLimiter(
                overall_max_rate=OVERALL_PER_SECOND,
                overall_time_period=1,
                group_max_rate=GROUP_PER_MINUTE,
                group_time_period=60,
                max_retries=2,
            )
        )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app = builder.build()
    app.bot_data["services"] = services
    app.bot_data["catalogs"] = catalogs or load_catalogs(settings.default_locale)
    app.bot_data["operators_chat_id"] = settings.operators_chat_id

    # Group -1: identify the member and drop repeated updates before any feature runs.
    members.register(app)
    # Group 0, commands and buttons of each feature; order among them does not matter.
    start.register(app)
    membership.register(app)
    help_handlers.register(app)
    cancel.register(app)
    settings_handlers.register(app)
    qa.register(app)
    users_handlers.register(app)
    evidence.register(app)
    selfcheck.register(app)
    review.register(app)
    quiz.register(app)
    reminder_handlers.register(app)
    reminder_evidence.register(app)
    evidence_offer.register(app)  # files sent outside any flow: "Simpan sebagai bukti?"
    recap.register(app)
    broadcast.register(app)
    # The reminder sweep (JobQueue tick every 30 s) and its paced background sender.
    reminder_jobs.register(app, rate=settings.reminder_rate)
    # The text router must come after every command handler and before the fallbacks.
    flows.register(app)
    # Fallbacks last: unknown commands, stale buttons, non-text messages.
    fallback.register(app)
    errors.register(app)
    # Periodic housekeeping (pruning processed update ids).
    maintenance.register(app)
    # Last: wrap every handler so the per-update log line names the handler that ran.
    instrument(app)
    return app


async def _post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Publish the members' command menu in Indonesian (default) and English.

    Coordinators and admins get their longer menu per chat (handlers/menu.py) on /start,
    /bantuan and whenever their role changes.
    """
    catalogs: Catalogs = app.bot_data["catalogs"]
    for locale, language_code in (("id", None), ("en", "en")):
        _ = catalogs.for_locale(locale)
        commands = [
            BotCommand(name, _.gettext(description)) for name, description in menu_for(Role.MEMBER)
        ]
        await app.bot.set_my_commands(
            commands, scope=BotCommandScopeDefault(), language_code=language_code
        )
