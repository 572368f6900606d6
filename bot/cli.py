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
    edition = args.edition or settings.edition
    methodology = bundle.methodologies.get(edition)
    if methodology is None:
        raise CliError(f"unknown edition {edition!r}; known: "
                       f"{', '.join(sorted(bundle.methodologies))}")

    if args.aggregate is not None:
        try:
            scores = [Decimal(part.strip().replace(",", "."))
                      for part in args.aggregate.split(";" if ";" in args.aggregate else ",")
                      if part.strip()]
        except InvalidOperation:
            raise CliError("--aggregate takes unit scores like 89.23,90.10 "
                           "(or 89,23;90,10)") from None
        if not scores:
            raise CliError("--aggregate needs at least one unit score")
        score = scoring.government_score(scores)
        category = scoring.classify(methodology, score)
        out = {"edition": edition, "units": len(scores), "score": str(score),
               "category": category.code, "category_label": category.label,
               "zone": category.zone.value if category.zone else None}
        print(json.dumps(out, ensure_ascii=False) if args.json
              else f"{score} {category.code} ({category.label}), mean of {len(scores)} units")
        return 0

    if args.template:
        template = {
            "edition": edition, "scale": {"min": methodology.scale_min,
                                          "max": methodology.scale_max},
            "indicators": [
                {"id": ind.id, "dimension": dim.id, "name": ind.name, "question": ind.question,
                 "weight": str(ind.weight), "topic": ind.topic,
                 "options": [{"value": o.value, "label": o.label} for o in ind.options]}
                for dim in methodology.all_dimensions for ind in dim.indicators],
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
        "edition": edition, "score": text(result.score),
        "category": result.category.code if result.category else None,
        "category_label": result.category.label if result.category else None,
        "zone": result.zone.value if result.zone else None, "opinion": result.opinion,
        "coverage": str(result.coverage), "answered": result.answered, "total": result.total,
        "dimensions": [{"id": d.id, "name": d.name, "score": text(d.score),
                        "unit_share": str(d.unit_share), "coverage": str(d.coverage)}
                       for d in result.dimensions],
        "ignored_answers": list(result.ignored_answers),
        "top_gains": [{"indicator_id": g.indicator_id, "points": str(g.points),
                       "current": g.current, "target": g.target,
                       "target_label": g.target_label} for g in gains],
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(f"score {out['score']} category {out['category']} ({out['category_label']}), "
              f"coverage {out['coverage']}% ({result.answered}/{result.total})")
        for gain in gains:
            print(f"  +{gain.points} {gain.indicator_id} -> {gain.target_label}")
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

    cek = sub.add_parser("cek", help="what-if scoring: template, score answers, aggregate")
    cek.add_argument("--edition", help="methodology edition (default BOT_EDITION)")
    mode = cek.add_mutually_exclusive_group()
    mode.add_argument("--template", action="store_true",
                      help="print the edition's indicators and options as JSON")
    mode.add_argument("--answers", metavar="FILE",
                      help="score a JSON file of {indicator_id: value}")
    mode.add_argument("--aggregate", metavar="SCORES",
                      help="government score of unit scores, e.g. 89.23,90.10")
    cek.add_argument("--json", action="store_true", help="print the result as JSON")
    cek.add_argument("--dir", help="content folder (default BOT_CONTENT_DIR)")
    cek.set_defaults(func=cmd_cek, log_level="WARNING")
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
