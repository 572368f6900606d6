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


# --- users --------------------------------------------------------------------------------------


def _with_services(settings: Settings, work: Callable[[Any], Any]) -> Any:
    """Run `work(services)` on a migrated database, then close it."""
    from bot.app import build_services

    async def main() -> Any:
        services = await build_services(settings)
        try:
            return await work(services)
        finally:
            await services.engine.dispose()

    return _run_async(main())


def _user_errors(exc: Exception, telegram_id: int) -> CliError:
    from bot.domain.errors import InvalidInput, NotFound

    if isinstance(exc, NotFound):
        what = "unit" if exc.entity == "unit" else "user with Telegram id"
        return CliError(f"no {what} {exc.key if exc.entity == 'unit' else telegram_id}")
    if isinstance(exc, InvalidInput):
        reasons = {
            "settings_admin": "is an admin from BOT_ADMIN_IDS; remove the id there instead",
            "no_unit": "has no unit; give one with --unit CODE",
            "forgotten": "was forgotten; their role cannot change",
        }
        return CliError(f"user {telegram_id} {reasons.get(exc.reason, exc.reason)}")
    raise exc


def cmd_users_list(args: argparse.Namespace) -> int:
    """Print every user: Telegram id, role, active, unit, last activity, name."""
    settings = _settings(args)
    from bot.services.users import OPERATOR

    users = _with_services(settings, lambda s: s.users.list_users(OPERATOR))
    print(f"{'telegram_id':>14}  {'role':<11} {'active':<6} {'unit':<28} {'last seen':<16} name")
    for user in users:
        seen = user.last_seen_at.strftime("%Y-%m-%d %H:%M") if user.last_seen_at else "-"
        name = "(forgotten)" if user.forgotten else user.display_name
        print(f"{user.telegram_id:>14}  {user.role.value:<11} {'yes' if user.active else 'no':<6} "
              f"{(user.unit_name or '-')[:28]:<28} {seen:<16} {name}")
    print(f"{len(users)} user(s)")
    return 0


def _change_user(args: argparse.Namespace, change: Callable[[Any, Any, int], Any],
                 done: str) -> int:
    settings = _settings(args)
    from bot.services.users import OPERATOR

    async def work(services: Any) -> Any:
        user = await services.users.find_by_telegram_id(OPERATOR, args.telegram_id)
        return await change(services, OPERATOR, user.user_id)

    try:
        user = _with_services(settings, work)
    except CliError:
        raise
    except Exception as exc:
        raise _user_errors(exc, args.telegram_id) from None
    print(done.format(id=args.telegram_id, role=getattr(user, "role", None) and user.role.value,
                      unit=getattr(user, "unit_name", None) or "-"))
    return 0


def cmd_users_promote(args: argparse.Namespace) -> int:
    """Make a user coordinator of --unit (default: their unit), or admin with --admin."""
    from bot.domain.units import Role

    role = Role.ADMIN if args.admin else Role.COORDINATOR
    return _change_user(
        args, lambda s, op, uid: s.users.set_role(op, uid, role, unit_code=args.unit),
        "user {id} is now {role} (unit: {unit})")


def cmd_users_demote(args: argparse.Namespace) -> int:
    """Make a user a plain member."""
    from bot.domain.units import Role

    return _change_user(args, lambda s, op, uid: s.users.set_role(op, uid, Role.MEMBER),
                        "user {id} is now {role} (unit: {unit})")


def cmd_users_deactivate(args: argparse.Namespace) -> int:
    """Stop all messages to a user and remove their staff rights."""
    return _change_user(args, lambda s, op, uid: s.users.set_active(op, uid, False),
                        "user {id} deactivated")


def cmd_users_forget(args: argparse.Namespace) -> int:
    """Erase a user's personal data (see UserAdminService.forget for what stays)."""
    return _change_user(args, lambda s, op, uid: s.users.forget(op, uid),
                        "user {id} forgotten: personal data erased, unit evidence kept "
                        "without the uploader")


# --- backup -------------------------------------------------------------------------------------


def cmd_backup(args: argparse.Namespace) -> int:
    """SQLite: a consistent copy with the online backup API. PostgreSQL: print the pg_dump line."""
    settings = _settings(args)
    from sqlalchemy.engine import make_url

    url = make_url(settings.database_url)
    out = Path(args.out)
    if url.get_backend_name() == "postgresql":
        import shlex

        parts = ["pg_dump", "--format=custom", "--no-owner", f"--file={out}"]
        if url.host:
            parts.append(f"--host={url.host}")
        if url.port:
            parts.append(f"--port={url.port}")
        if url.username:
            parts.append(f"--username={url.username}")
        parts.append(f"--dbname={url.database or 'postgres'}")
        print(" ".join(shlex.quote(p) for p in parts))
        print("# the password is not shown: pg_dump reads it from PGPASSWORD or ~/.pgpass",
              file=sys.stderr)
        return 0
    source = Path(url.database or "")
    if not url.database or url.database == ":memory:" or not source.is_file():
        raise CliError(f"database file not found: {source}")
    if out.exists() and not args.force:
        raise CliError(f"{out} exists; choose another --out or add --force")
    from bot.db.backup import backup_sqlite

    tables, rows = backup_sqlite(source, out)
    print(f"backup written to {out} ({out.stat().st_size} bytes, {tables} tables, "
          f"{rows} users)")
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

    users = sub.add_parser("users", help="list users and change roles").add_subparsers(
        dest="users", required=True)
    users.add_parser("list", help="every user with role, unit and last activity").set_defaults(
        func=cmd_users_list)
    promote = users.add_parser("promote", help="make a user coordinator (or --admin)")
    promote.add_argument("telegram_id", type=int, metavar="ID", help="the user's Telegram id")
    promote.add_argument("--unit", help="unit code to coordinate (default: the user's unit)")
    promote.add_argument("--admin", action="store_true", help="make the user an admin")
    promote.set_defaults(func=cmd_users_promote)
    for name, func, text in (
        ("demote", cmd_users_demote, "make a user a plain member"),
        ("deactivate", cmd_users_deactivate, "stop messages to a user"),
        ("forget", cmd_users_forget, "erase a user's personal data"),
    ):
        command = users.add_parser(name, help=text)
        command.add_argument("telegram_id", type=int, metavar="ID", help="the user's Telegram id")
        command.set_defaults(func=func)

    backup = sub.add_parser("backup", help="back up the database (SQLite) or print pg_dump")
    backup.add_argument("--out", required=True, help="backup file to write")
    backup.add_argument("--force", action="store_true", help="overwrite an existing file")
    backup.set_defaults(func=cmd_backup)
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
