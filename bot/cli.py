"""Command-line interface (edge layer): run, chat, db, content; operator errors are one line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.config import Settings, SettingsError, load_settings
from bot.content.source import ContentInvalid

log = logging.getLogger("bot")
EXIT_CONFIG = 2
EXIT_CONTENT = 3


class CliError(Exception):
    """An operator-facing failure: printed as one line, exit code attached."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _settings(args: argparse.Namespace) -> Settings:
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise CliError(str(exc), EXIT_CONFIG) from None
    from bot.logging_setup import setup_logging

    secrets = [settings.token.get_secret_value()] if settings.token else []
    if settings.webhook_secret:
        secrets.append(settings.webhook_secret.get_secret_value())
    setup_logging(getattr(args, "log_level", None) or settings.log_level,
                  json_lines=settings.log_json, secrets=secrets)
    return settings


# --- run --------------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    """Start the bot (long polling by default)."""
    settings = _settings(args)
    if settings.token is None:
        raise CliError("BOT_TOKEN is not set: set it to the token from @BotFather "
                       "(or try the bot offline with `python -m bot chat`)", EXIT_CONFIG)
    from bot.app import build_application, build_services

    services = _run_async(build_services(settings))
    app = build_application(settings, services)
    log.info("starting long polling against %s", settings.api_base_url.split("/bot")[0])
    try:
        app.run_polling(allowed_updates=["message", "callback_query", "edited_message"],
                        drop_pending_updates=False, close_loop=False, timeout=5)
    finally:
        asyncio.run(services.engine.dispose())
    return 0


def _run_async(coro: Any) -> Any:
    try:
        return asyncio.run(coro)
    except ContentInvalid as exc:
        raise CliError(_content_lines(exc), EXIT_CONTENT) from None
    except OSError as exc:
        raise CliError(f"database: cannot open ({exc.__class__.__name__}: {exc})") from None
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            reason = str(exc.orig) if getattr(exc, "orig", None) else exc.__class__.__name__
            raise CliError(f"database: {reason.splitlines()[0]}") from None
        raise


def _content_lines(exc: ContentInvalid) -> str:
    return "\n".join(str(p) for p in exc.problems) or "content is invalid"


# --- chat ----------------------------------------------------------------------------------------


def cmd_chat(args: argparse.Namespace) -> int:
    """Talk to the bot in this terminal, offline, on the configured database."""
    settings = _settings(args)
    from pydantic import SecretStr

    from bot.app import build_application, build_services
    from bot.console import ConsoleRequest, ConsoleUser, run_console

    settings = settings.model_copy(update={"token": SecretStr("0:console")})
    request = ConsoleRequest()
    name = args.name or os.environ.get("USER", "").title() or "Pengguna"

    async def main() -> None:
        services = await build_services(settings)
        try:
            app = build_application(settings, services, request=request, rate_limit=False)
            await run_console(app, request, ConsoleUser(args.user_id, name, args.language))
        finally:
            await services.engine.dispose()

    _run_async(main())
    return 0


# --- db ------------------------------------------------------------------------------------------


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Bring the database to the latest schema."""
    settings = _settings(args)
    from bot.db import migrate
    from bot.db.session import create_engine

    async def main() -> str | None:
        engine = create_engine(settings.database_url)
        try:
            await migrate.upgrade(engine, args.revision)
            return await migrate.current(engine)
        finally:
            await engine.dispose()

    print(f"database at revision {_run_async(main())}")
    return 0


# --- content -------------------------------------------------------------------------------------


def cmd_content_check(args: argparse.Namespace) -> int:
    """Validate every content file; print file:line: reason for each problem."""
    settings = _settings(args)
    from bot.content.bundle import load_content

    root = Path(args.dir) if args.dir else settings.content_dir
    try:
        bundle = load_content(root)
    except ContentInvalid as exc:
        print(_content_lines(exc), file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return EXIT_CONTENT
    print(f"content OK (version {bundle.version}): {len(bundle.units.units)} units, "
          f"{len(bundle.topics)} topics, {len(bundle.quizzes)} quiz questions, "
          f"editions {', '.join(sorted(bundle.methodologies))}")
    return 0


# --- tenggat ------------------------------------------------------------------------------------


def cmd_tenggat_plan(args: argparse.Namespace) -> int:
    """Print the reminders a sweep at --at would send (nothing is sent or recorded)."""
    settings = _settings(args)
    import json
    from datetime import datetime

    from bot.app import build_services
    from bot.handlers import reminders_render
    from bot.i18n import load_catalogs

    try:
        at = datetime.fromisoformat(args.at)
    except ValueError:
        raise CliError(f"--at: not an ISO date-time: {args.at!r}") from None
    if at.tzinfo is None:
        raise CliError("--at needs a UTC offset, e.g. 2025-06-10T08:00+08:00")
    catalogs = load_catalogs(settings.default_locale)

    async def main() -> list[dict[str, Any]]:
        services = await build_services(settings)
        try:
            messages = await services.reminders.preview(at, from_creation=False)
        finally:
            await services.engine.dispose()
        rows = []
        for message in messages:
            text = reminders_render.reminder_text(catalogs.for_locale(message.language), message)
            recipient = {"user_id": message.user_id, "telegram_id": message.telegram_id,
                         "name": message.display_name, "timezone": message.timezone}
            zone = ZoneInfo(message.timezone)
            for item in message.reminders:
                rows.append({"kind": "reminder", "recipient": recipient,
                             "deadline": item.slug, "title": item.title, "offset": item.offset,
                             "local_time": item.planned_at.astimezone(zone).isoformat(),
                             "late": item.late, "text": text})
            for esc in message.escalations:
                rows.append({"kind": "escalation", "recipient": recipient,
                             "deadline": esc.slug, "title": esc.title, "offset": esc.offset,
                             "local_time": at.astimezone(zone).isoformat(), "late": esc.late,
                             "pending_units": list(esc.pending_units), "text": text})
        return rows

    from zoneinfo import ZoneInfo

    rows = _run_async(main())
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['local_time']}  H-{row['offset']}  {row['deadline']}  ->  "
                  f"{row['recipient']['name']} ({row['recipient']['telegram_id']})"
                  f"{'  [terlambat]' if row['late'] else ''}")
        print(f"{len(rows)} reminder(s) would go out at {at.isoformat()}")
    return 0


# --- parser --------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; features add their sub-commands here."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Pendamping Kepatuhan bot")
    parser.add_argument("--log-level", help="override BOT_LOG_LEVEL")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the bot (long polling)")
    run.set_defaults(func=cmd_run)

    chat = sub.add_parser("chat", help="talk to the bot offline in this terminal")
    chat.add_argument("--user-id", type=int, default=1001, help="Telegram id to pretend to be")
    chat.add_argument("--name", help="display name (default: $USER)")
    chat.add_argument("--language", default="id", choices=["id", "en"])
    chat.set_defaults(func=cmd_chat, log_level="WARNING")

    db = sub.add_parser("db", help="database maintenance").add_subparsers(dest="db", required=True)
    upgrade = db.add_parser("upgrade", help="migrate the database to the latest schema")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(func=cmd_db_upgrade)

    content = sub.add_parser("content", help="content tools").add_subparsers(dest="content",
                                                                            required=True)
    check = content.add_parser("check", help="validate content files")
    check.add_argument("--dir", help="content folder (default BOT_CONTENT_DIR)")
    check.set_defaults(func=cmd_content_check)

    tenggat = sub.add_parser("tenggat", help="evidence deadlines and reminders").add_subparsers(
        dest="tenggat", required=True)
    plan = tenggat.add_parser("plan", help="print the reminders due at a moment (sends nothing)")
    plan.add_argument("--at", required=True, help="ISO date-time with offset, "
                      "e.g. 2025-06-10T08:00+08:00")
    plan.add_argument("--json", action="store_true", help="print JSON")
    plan.set_defaults(func=cmd_tenggat_plan)
    return parser


def main(argv: list[str]) -> int:
    """Parse arguments and run; operator errors print one line and exit non-zero."""
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
