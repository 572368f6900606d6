"""Command-line interface (edge layer): run, chat, db, content, stats; errors are one line."""

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
    from bot.logging_setup import secrets_of, setup_logging

    secrets = secrets_of(
        settings.token.get_secret_value() if settings.token else None,
        settings.webhook_secret.get_secret_value() if settings.webhook_secret else None,
    )
    setup_logging(
        getattr(args, "log_level", None) or settings.log_level,
        json_lines=settings.log_json,
        secrets=secrets,
    )
    return settings


# --- run --------------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    """Start the bot (long polling by default)."""
    settings = _settings(args)
    if settings.token is None:
        raise CliError(
            "BOT_TOKEN is not set: set it to the token from @BotFather "
            "(or try the bot offline with `python -m bot chat`)",
            EXIT_CONFIG,
        )
    if args.webhook or settings.webhook_url:
        return _run_webhook(settings)
    from bot.app import ALLOWED_UPDATES, build_application, build_services

    async def start() -> Any:
        started = await build_services(settings)
        # Pooled connections belong to the event loop that opened them (asyncpg), and
        # run_polling runs its own loop: close them here, the pool reopens them there.
        await started.engine.dispose()
        return started

    services = _run_async(start())
    # Telegram lets one process poll: an update claimed by another process is a dead one's.
    services.members.sole_consumer = True
    app = build_application(settings, services, rate_limit=settings.rate_limit)

    async def close_database(_app: Any) -> None:
        await services.engine.dispose()  # inside the polling loop, which owns the connections

    app.post_shutdown = close_database
    log.info("starting long polling against %s", settings.api_base_url.split("/bot")[0])
    app.run_polling(
        allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False, close_loop=False, timeout=5
    )
    return 0


def _run_webhook(settings: Settings) -> int:
    """Serve updates over HTTP behind a reverse proxy until SIGINT/SIGTERM."""
    from bot.webhook import WebhookConfigError, check_settings

    try:
        check_settings(settings)
    except WebhookConfigError as exc:
        raise CliError(str(exc), EXIT_CONFIG) from None
    from bot.app import ALLOWED_UPDATES, build_application, build_services
    from bot.webhook import WebhookServer, serve_until_signalled

    async def main() -> None:
        services = await build_services(settings)
        try:
            server = WebhookServer(
                build_application(settings, services, rate_limit=settings.rate_limit), settings
            )
            await serve_until_signalled(server, allowed_updates=ALLOWED_UPDATES)
        finally:
            await services.engine.dispose()

    _run_async(main())
    return 0


def _run_async(coro: Any) -> Any:
    try:
        return asyncio.run(coro)
    except ContentInvalid as exc:
        raise CliError(_content_lines(exc), EXIT_CONTENT) from None
    except SettingsError as exc:
        raise CliError(str(exc), EXIT_CONFIG) from None
    except OSError as exc:
        raise CliError(f"database: cannot open ({exc.__class__.__name__}: {exc})") from None
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            orig = getattr(exc, "orig", None)
            reason = str(orig) if orig is not None else exc.__class__.__name__
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
            async with migrate.startup_lock(engine):
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
    try:
        default = settings.edition_for(bundle.methodologies)
    except SettingsError as exc:
        raise CliError(str(exc), EXIT_CONFIG) from None
    print(
        f"content OK (version {bundle.version}): {len(bundle.units.units)} units, "
        f"{len(bundle.topics)} topics, {len(bundle.quizzes)} quiz questions, "
        f"editions {', '.join(sorted(bundle.methodologies))}, default edition {default}"
        + (" (BOT_EDITION)" if settings.edition else " (in force)")
    )
    return 0


# --- stats ---------------------------------------------------------------------------------------


def cmd_stats(args: argparse.Namespace) -> int:
    """Print users, units, answers, outbox and Q&A gap counts (missing tables are skipped)."""
    settings = _settings(args)
    from datetime import UTC, datetime

    from sqlalchemy.engine import make_url

    from bot.db.session import create_engine
    from bot.services.stats import SchemaMissing, Stats, collect

    url = make_url(settings.database_url)
    if (
        url.get_backend_name() == "sqlite"
        and url.database
        and url.database != ":memory:"
        and not Path(url.database).expanduser().exists()
    ):
        raise CliError(f"database: {url.database} does not exist (run `python -m bot db upgrade`)")

    async def main() -> Stats:
        engine = create_engine(settings.database_url)
        try:
            return await collect(engine, datetime.now(UTC))
        finally:
            await engine.dispose()

    try:
        stats: Stats = _run_async(main())
    except SchemaMissing:
        raise CliError("database has no tables yet (run `python -m bot db upgrade`)") from None
    print(format_stats(stats))
    return 0


def format_stats(stats: Any) -> str:
    """The stats as aligned plain-text lines."""
    lines = [
        f"users: {stats.users_total} total, {stats.users_active} active, "
        f"{stats.users_registered} registered, {stats.users_seen_recently} seen in 30 days",
        f"units: {stats.units} ({stats.units_archived} archived)",
    ]
    headings = (
        ("self-check answers", stats.self_check_answers),
        ("quiz answers", stats.quiz_answers),
        ("outbox", stats.outbox),
        ("questions without answers", stats.qa_gaps),
        ("other tables", stats.other),
    )
    for heading, counts in headings:
        if not counts:
            if heading != "other tables":
                lines.append(f"{heading}: - (no such table yet)")
            continue
        for count in counts:
            detail = ", ".join(f"{status} {n}" for status, n in count.by_status.items())
            lines.append(
                f"{heading} ({count.table}): {count.rows}" + (f" [{detail}]" if detail else "")
            )
    return "\n".join(lines)


# --- ask (Q&A) -----------------------------------------------------------------------------------


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer questions as the bot would; batch from stdin when no question is given.

    Needs only the content (no token, no database): nothing is recorded as a gap here.
    """
    settings = _settings(args)
    import json
    import time

    from bot.content.bundle import load_content
    from bot.handlers.qa_render import plain_answer
    from bot.i18n import load_catalogs
    from bot.services.clock import system_clock
    from bot.services.qa import QAService

    try:
        bundle = load_content(settings.content_dir)
    except ContentInvalid as exc:
        raise CliError(_content_lines(exc), EXIT_CONTENT) from None
    qa = QAService(None, system_clock, bundle)
    _ = load_catalogs(settings.default_locale).for_locale(None)
    questions = [args.question] if args.question else (line.strip() for line in sys.stdin)
    for question in questions:
        if not question:
            continue
        start = time.perf_counter()
        answer = qa.decide(question)
        latency_ms = 1000 * (time.perf_counter() - start)
        text = plain_answer(_, answer, question)
        if args.json:
            topic = answer.topic if answer.answered else None
            print(
                json.dumps(
                    {
                        "question": question,
                        "topic_id": topic.id if topic else None,
                        "title": topic.title if topic else None,
                        "confidence": round(answer.confidence, 4),
                        "answer": text,
                        "sources": list(topic.sources) if topic else [],
                        "latency_ms": round(latency_ms, 3),
                        "kind": answer.kind.value,
                        "candidates": [t.id for t in answer.candidates],
                        "offered": answer.offered.id if answer.offered else None,
                    },
                    ensure_ascii=False,
                ),
                flush=False,
            )
        else:
            print(text)
            print()
    sys.stdout.flush()
    return 0


def cmd_content_gaps(args: argparse.Namespace) -> int:
    """List the questions the bot most often declined or was unsure about."""
    settings = _settings(args)
    from bot.content.bundle import load_content
    from bot.db import migrate
    from bot.db.session import create_engine, create_session_factory
    from bot.services.clock import system_clock
    from bot.services.qa import Gap, QAService

    async def main() -> list[Gap]:
        bundle = load_content(settings.content_dir)
        engine = create_engine(settings.database_url)
        try:
            await migrate.upgrade(engine)
            qa = QAService(create_session_factory(engine), system_clock, bundle)
            return await qa.gaps(args.limit)
        finally:
            await engine.dispose()

    gaps = _run_async(main())
    if not gaps:
        print("no unanswered questions recorded")
        return 0
    print(f"{'count':>5}  {'last asked (UTC)':16}  {'kind':7}  question  [best candidates]")
    for gap in gaps:
        candidates = ", ".join(f"{topic} {score:.2f}" for topic, score in gap.candidates)
        example = " ".join(gap.example.split())[:80]
        print(
            f"{gap.count:>5}  {gap.last_asked:%Y-%m-%d %H:%M}  {gap.kind:7}  {example}"
            f"  [{candidates or '-'}]"
        )
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
        print(
            f"{user.telegram_id:>14}  {user.role.value:<11} {'yes' if user.active else 'no':<6} "
            f"{(user.unit_name or '-')[:28]:<28} {seen:<16} {name}"
        )
    print(f"{len(users)} user(s)")
    return 0


def _change_user(
    args: argparse.Namespace, change: Callable[[Any, Any, int], Any], done: str
) -> int:
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
    print(
        done.format(
            id=args.telegram_id,
            role=getattr(user, "role", None) and user.role.value,
            unit=getattr(user, "unit_name", None) or "-",
        )
    )
    return 0


def cmd_users_promote(args: argparse.Namespace) -> int:
    """Make a user coordinator of --unit (default: their unit), or admin with --admin."""
    from bot.domain.units import Role

    role = Role.ADMIN if args.admin else Role.COORDINATOR
    return _change_user(
        args,
        lambda s, op, uid: s.users.set_role(op, uid, role, unit_code=args.unit),
        "user {id} is now {role} (unit: {unit})",
    )


def cmd_users_demote(args: argparse.Namespace) -> int:
    """Make a user a plain member."""
    from bot.domain.units import Role

    return _change_user(
        args,
        lambda s, op, uid: s.users.set_role(op, uid, Role.MEMBER),
        "user {id} is now {role} (unit: {unit})",
    )


def cmd_users_deactivate(args: argparse.Namespace) -> int:
    """Stop all messages to a user and remove their staff rights."""
    return _change_user(
        args, lambda s, op, uid: s.users.set_active(op, uid, False), "user {id} deactivated"
    )


def cmd_users_forget(args: argparse.Namespace) -> int:
    """Erase a user's personal data (see UserAdminService.forget for what stays)."""
    return _change_user(
        args,
        lambda s, op, uid: s.users.forget(op, uid),
        "user {id} forgotten: personal data erased, unit evidence kept without the uploader",
    )


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
        print(
            "# the password is not shown: pg_dump reads it from PGPASSWORD or ~/.pgpass",
            file=sys.stderr,
        )
        return 0
    source = Path(url.database or "")
    if not url.database or url.database == ":memory:" or not source.is_file():
        raise CliError(f"database file not found: {source}")
    if out.exists() and not args.force:
        raise CliError(f"{out} exists; choose another --out or add --force")
    from bot.db.backup import backup_sqlite

    tables, rows = backup_sqlite(source, out)
    print(f"backup written to {out} ({out.stat().st_size} bytes, {tables} tables, {rows} users)")
    return 0


# --- cek (what-if scoring) -----------------------------------------------------------------------


def cmd_cek(args: argparse.Namespace) -> int:
    """Print an edition's template, score an answers file, or aggregate unit scores."""
    settings = _settings(args)
    import json
    from decimal import Decimal, InvalidOperation

    from bot.content.bundle import load_content
    from bot.domain import scoring
    from bot.domain.errors import InvalidAnswer

    try:
        bundle = load_content(Path(args.dir) if args.dir else settings.content_dir)
    except ContentInvalid as exc:
        raise CliError(_content_lines(exc), EXIT_CONTENT) from None
    try:
        edition = args.edition or settings.edition_for(bundle.methodologies)
    except SettingsError as exc:
        raise CliError(str(exc), EXIT_CONFIG) from None
    methodology = bundle.methodologies.get(edition)
    if methodology is None:
        raise CliError(
            f"unknown edition {edition!r}; known: {', '.join(sorted(bundle.methodologies))}"
        )

    if args.aggregate is not None:
        try:
            scores = [
                Decimal(part.strip().replace(",", "."))
                for part in args.aggregate.split(";" if ";" in args.aggregate else ",")
                if part.strip()
            ]
        except InvalidOperation:
            raise CliError(
                "--aggregate takes unit scores like 89.23,90.10 (or 89,23;90,10)"
            ) from None
        if not scores:
            raise CliError("--aggregate needs at least one unit score")
        wrong = next((s for s in scores if not s.is_finite() or not 0 <= s <= 100), None)
        if wrong is not None:
            raise CliError(f"--aggregate: unit score {wrong} is outside 0-100")
        score = scoring.government_score(scores)
        category = scoring.classify(methodology, score)
        out = {
            "edition": edition,
            "units": len(scores),
            "score": str(score),
            "category": category.code,
            "category_label": category.label,
            "zone": category.zone.value if category.zone else None,
        }
        print(
            json.dumps(out, ensure_ascii=False)
            if args.json
            else f"{score} {category.code} ({category.label}), mean of {len(scores)} units"
        )
        return 0

    if args.template:
        template = {
            "edition": edition,
            "scale": {"min": methodology.scale_min, "max": methodology.scale_max},
            "indicators": [
                {
                    "id": ind.id,
                    "dimension": dim.id,
                    "name": ind.name,
                    "question": ind.question,
                    "weight": str(ind.weight),
                    "topic": ind.topic,
                    "options": [{"value": o.value, "label": o.label} for o in ind.options],
                }
                for dim in methodology.all_dimensions
                for ind in dim.indicators
            ],
        }
        print(json.dumps(template, ensure_ascii=False, indent=2))
        return 0

    if args.answers is None:
        raise CliError("give one of --template, --answers FILE or --aggregate SCORES")
    try:
        raw = json.loads(Path(args.answers).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CliError(f"{args.answers}: cannot read a JSON object ({exc})") from None
    if not isinstance(raw, dict):
        raise CliError(f"{args.answers}: expected a JSON object {{indicator_id: value}}")
    try:
        result = scoring.score_unit(methodology, raw)
        gains = scoring.top_gains(methodology, raw, 3)
    except InvalidAnswer as exc:
        raise CliError(f"{args.answers}: {exc}") from None

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    out = {
        "edition": edition,
        "score": text(result.score),
        "category": result.category.code if result.category else None,
        "category_label": result.category.label if result.category else None,
        "zone": result.zone.value if result.zone else None,
        "opinion": result.opinion,
        "coverage": str(result.coverage),
        "answered": result.answered,
        "total": result.total,
        "dimensions": [
            {
                "id": d.id,
                "name": d.name,
                "score": text(d.score),
                "unit_share": str(d.unit_share),
                "coverage": str(d.coverage),
            }
            for d in result.dimensions
        ],
        "ignored_answers": list(result.ignored_answers),
        "top_gains": [
            {
                "indicator_id": g.indicator_id,
                "points": str(g.points),
                "current": g.current,
                "target": g.target,
                "target_label": g.target_label,
            }
            for g in gains
        ],
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(
            f"score {out['score']} category {out['category']} ({out['category_label']}), "
            f"coverage {out['coverage']}% ({result.answered}/{result.total})"
        )
        for gain in gains:
            print(f"  +{gain.points} {gain.indicator_id} -> {gain.target_label}")
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
            recipient = {
                "user_id": message.user_id,
                "telegram_id": message.telegram_id,
                "name": message.display_name,
                "timezone": message.timezone,
            }
            zone = ZoneInfo(message.timezone)
            for item in message.reminders:
                rows.append(
                    {
                        "kind": "reminder",
                        "recipient": recipient,
                        "deadline": item.slug,
                        "title": item.title,
                        "offset": item.offset,
                        "local_time": item.planned_at.astimezone(zone).isoformat(),
                        "late": item.late,
                        "text": text,
                    }
                )
            for news in message.announcements:
                rows.append(
                    {
                        "kind": "announcement",
                        "recipient": recipient,
                        "deadline": news.slug,
                        "title": news.title,
                        "offset": None,
                        "moved": news.moved,
                        "local_time": news.planned_at.astimezone(zone).isoformat(),
                        "late": news.late,
                        "text": text,
                    }
                )
            for esc in message.escalations:
                rows.append(
                    {
                        "kind": "escalation",
                        "recipient": recipient,
                        "deadline": esc.slug,
                        "title": esc.title,
                        "offset": esc.offset,
                        "local_time": at.astimezone(zone).isoformat(),
                        "late": esc.late,
                        "pending_units": list(esc.pending_units),
                        "text": text,
                    }
                )
        return rows

    from zoneinfo import ZoneInfo

    rows = _run_async(main())
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            what = (
                ("diubah" if row["moved"] else "baru")
                if row["kind"] == "announcement"
                else f"H-{row['offset']}"
            )
            print(
                f"{row['local_time']}  {what}  {row['deadline']}  ->  "
                f"{row['recipient']['name']} ({row['recipient']['telegram_id']})"
                f"{'  [terlambat]' if row['late'] else ''}"
            )
        print(f"{len(rows)} reminder(s) would go out at {at.isoformat()}")
    return 0


# --- parser --------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    """Write the /rekap data of every unit to an .xlsx workbook, a .pdf report or a CSV."""
    settings = _settings(args)
    out = Path(args.out)
    if out.exists() and not args.force:
        raise CliError(f"{out} exists; pass --force to overwrite")

    from bot.domain.errors import NotFound

    async def work(services: Any) -> Any:
        try:
            return await services.recap.build(edition=args.edition)
        except NotFound as error:
            editions = ", ".join(services.recap.editions())
            raise CliError(f"unknown edition {args.edition!r}; editions: {editions}") from error

    recap = _with_services(settings, work)
    from bot.reports import csv_table, pdf, xlsx

    if args.format == "xlsx":
        out.write_bytes(xlsx.workbook_bytes(recap))
    elif args.format == "pdf":
        out.write_bytes(pdf.pdf_bytes(recap))
    else:
        out.write_text(csv_table.csv_text(recap), encoding="utf-8", newline="")
    print(f"wrote {out} ({args.format}, {len(recap.units)} unit(s), edition {recap.edition})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; features add their sub-commands here."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Pendamping Kepatuhan bot")
    parser.add_argument("--log-level", help="override BOT_LOG_LEVEL")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the bot (long polling, or webhook with --webhook)")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="serve updates over HTTP (BOT_WEBHOOK_URL set implies this)",
    )
    run.set_defaults(func=cmd_run)

    stats = sub.add_parser("stats", help="print usage counts from the database")
    stats.set_defaults(func=cmd_stats)

    chat = sub.add_parser("chat", help="talk to the bot offline in this terminal")
    chat.add_argument("--user-id", type=int, default=1001, help="Telegram id to pretend to be")
    chat.add_argument("--name", help="display name (default: $USER)")
    chat.add_argument("--language", default="id", choices=["id", "en"])
    chat.set_defaults(func=cmd_chat, log_level="WARNING")

    db = sub.add_parser("db", help="database maintenance").add_subparsers(dest="db", required=True)
    upgrade = db.add_parser("upgrade", help="migrate the database to the latest schema")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(func=cmd_db_upgrade)

    content = sub.add_parser("content", help="content tools").add_subparsers(
        dest="content", required=True
    )
    check = content.add_parser("check", help="validate content files")
    check.add_argument("--dir", help="content folder (default BOT_CONTENT_DIR)")
    check.set_defaults(func=cmd_content_check)
    gaps = content.add_parser("gaps", help="most frequent unanswered or unsure questions")
    gaps.add_argument("--limit", type=int, default=20, help="how many to list (default 20)")
    gaps.set_defaults(func=cmd_content_gaps, log_level="WARNING")

    ask = sub.add_parser("ask", help="answer a question as the bot would (no token, no database)")
    ask.add_argument("question", nargs="?", help="the question; without it, one per line on stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    ask.set_defaults(func=cmd_ask, log_level="WARNING")

    users = sub.add_parser("users", help="list users and change roles").add_subparsers(
        dest="users", required=True
    )
    users.add_parser("list", help="every user with role, unit and last activity").set_defaults(
        func=cmd_users_list
    )
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

    cek = sub.add_parser("cek", help="what-if scoring: template, score answers, aggregate")
    cek.add_argument(
        "--edition", help="methodology edition (default BOT_EDITION, else the edition in force)"
    )
    mode = cek.add_mutually_exclusive_group()
    mode.add_argument(
        "--template",
        action="store_true",
        help="print the edition's indicators and options as JSON",
    )
    mode.add_argument(
        "--answers", metavar="FILE", help="score a JSON file of {indicator_id: value}"
    )
    mode.add_argument(
        "--aggregate", metavar="SCORES", help="government score of unit scores, e.g. 89.23,90.10"
    )
    cek.add_argument("--json", action="store_true", help="print the result as JSON")
    cek.add_argument("--dir", help="content folder (default BOT_CONTENT_DIR)")
    cek.set_defaults(func=cmd_cek, log_level="WARNING")

    export = sub.add_parser("export", help="write the /rekap data of every unit to a file")
    export.add_argument("--format", choices=("xlsx", "pdf", "csv"), required=True)
    export.add_argument(
        "--edition", help="methodology edition (default BOT_EDITION, else the edition in force)"
    )
    export.add_argument("--out", required=True, help="file to write")
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.set_defaults(func=cmd_export, log_level="WARNING")

    tenggat = sub.add_parser("tenggat", help="evidence deadlines and reminders").add_subparsers(
        dest="tenggat", required=True
    )
    plan = tenggat.add_parser("plan", help="print the reminders due at a moment (sends nothing)")
    plan.add_argument(
        "--at", required=True, help="ISO date-time with offset, e.g. 2025-06-10T08:00+08:00"
    )
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
