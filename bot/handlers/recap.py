"""/rekap [edition] (admins: every unit; coordinators: their own): the dashboard in pages, the
recap chart (and a coordinator's trend), the .xlsx workbook and the printable .pdf.

Buttons: ‹ › page through the dashboard (the report is rebuilt, compared with the reports made
before it was first shown, and not stored again); an edition button sends the report of that
edition. Every press is answered; a forged or stale press gets "expired".
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from typing import Any

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.errors import NotAllowed, NotFound
from bot.domain.recap import Recap
from bot.handlers import callback_data as cd
from bot.handlers import commands
from bot.handlers import recap_render as render
from bot.handlers.context import BotContext
from bot.handlers.keyboards import button
from bot.handlers.members import expired, refuse, registered
from bot.handlers.selfcheck_render import estimate_label
from bot.i18n import Translator


@cd.callback("rk1.p")
@dataclasses.dataclass(frozen=True, slots=True)
class RecapPage:
    """Show page `page` of the dashboard of `edition` first shown at `at` (epoch seconds)."""

    edition: str
    page: int
    at: int


@cd.callback("rk1.e")
@dataclasses.dataclass(frozen=True, slots=True)
class RecapEdition:
    """Send the whole report of another edition."""

    edition: str


def keyboard(
    _: Translator, recap: Recap, index: int, at: int | None = None
) -> InlineKeyboardMarkup | None:
    """‹ › when there are several pages; one button per other edition.

    `at` is when the report on screen was first made: every page turn compares with the reports
    before that moment (a turn stores no snapshot, but /rekap did when it was sent).
    """
    count = len(render.pages(_, recap))
    at = int(recap.generated_at.timestamp()) if at is None else at
    rows = []
    nav = []
    if index > 0:
        nav.append(
            button("‹ " + _.pgettext("pager", "Previous"), RecapPage(recap.edition, index - 1, at))
        )
    if index < count - 1:
        nav.append(
            button(_.pgettext("pager", "Next") + " ›", RecapPage(recap.edition, index + 1, at))
        )
    if nav:
        rows.append(nav)
    others = [
        button(_.gettext("Edition {edition}").format(edition=e), RecapEdition(e))
        for e in recap.editions
        if e != recap.edition
    ]
    if others:
        rows.append(others)
    return InlineKeyboardMarkup(rows) if rows else None


@registered
async def recap(update: Update, context: BotContext) -> None:
    """/rekap [edition]."""
    if update.effective_message is None:
        return
    await _send(update, context, context.args[0] if context.args else None)


async def _send(update: Update, context: BotContext, edition: str | None) -> None:
    """The whole report: dashboard page 1, chart, workbook, PDF. A pressed button is answered
    (by the refusal, or before the files are drawn, which takes a few seconds)."""
    member, chat = context.member, update.effective_chat
    if member is None or chat is None:
        return
    _ = context.translator
    service = context.services.recap
    query = update.callback_query
    try:
        result = await service.recap(member, edition=edition)
    except NotAllowed:
        await refuse(update, context)
        return
    except NotFound as error:
        if error.entity != "edition":
            await refuse(update, context)
            return
        if query is not None:
            await query.answer()
        await context.bot.send_message(
            chat.id, render.unknown_edition(_, service.editions()), parse_mode="HTML"
        )
        return
    if query is not None:
        await query.answer()
    await context.bot.send_message(
        chat.id, render.page(_, result, 0), parse_mode="HTML", reply_markup=keyboard(_, result, 0)
    )
    png = await asyncio.to_thread(_chart, _, result)
    await context.bot.send_photo(chat.id, png, caption=estimate_label(_))
    if len(result.units) == 1 and len(result.units[0].trend) >= 2:
        trend = await asyncio.to_thread(_trend, _, result)
        await context.bot.send_photo(chat.id, trend, caption=estimate_label(_))
    workbook, pdf = await asyncio.to_thread(_files, result)
    for data, extension, kind in ((workbook, "xlsx", "Excel"), (pdf, "pdf", "PDF")):
        await context.bot.send_document(
            chat.id,
            InputFile(data, filename=render.file_name(result, extension)),
            caption=render.file_caption(_, result, kind),
            parse_mode="HTML",
        )


async def turn_page(update: Update, context: BotContext) -> None:
    """‹ ›: rebuild the report (not stored again) and show another page."""
    query, member = update.callback_query, context.member
    payload = cd.pressed(update, RecapPage)
    if query is None or payload is None or member is None:
        await expired(update, context)
        return
    _ = context.translator
    try:
        shown_at = datetime.fromtimestamp(payload.at, UTC)
    except (OverflowError, OSError, ValueError):  # a forged timestamp
        await expired(update, context)
        return
    try:
        result = await context.services.recap.recap(
            member, edition=payload.edition, remember=False, before=shown_at
        )
    except NotAllowed:
        await refuse(update, context)
        return
    except NotFound:
        await expired(update, context)
        return
    await query.answer()
    await query.edit_message_text(
        render.page(_, result, payload.page),
        parse_mode="HTML",
        reply_markup=keyboard(_, result, payload.page, at=payload.at),
    )


async def pick_edition(update: Update, context: BotContext) -> None:
    """An edition button: the whole report of that edition."""
    query = update.callback_query
    payload = cd.pressed(update, RecapEdition)
    if query is None or payload is None or context.member is None:
        await expired(update, context)
        return
    await _send(update, context, payload.edition)


def _chart(_: Translator, result: Recap) -> bytes:
    # Imported in the worker thread: matplotlib is slow to import (see selfcheck handler).
    from bot.reports import charts

    return charts.score_chart(result, title=render.chart_title(_, result), note=estimate_label(_))


def _trend(_: Translator, result: Recap) -> bytes:
    from bot.reports import charts

    unit = result.units[0]
    return charts.trend_png(unit.trend, result.timezone, title=unit.name, note=estimate_label(_))


def _files(result: Recap) -> tuple[bytes, bytes]:
    from bot.reports import pdf, xlsx

    return xlsx.workbook_bytes(result), pdf.pdf_bytes(result)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/rekap and its buttons."""
    app.add_handler(CommandHandler(commands.RECAP, recap))
    app.add_handler(CallbackQueryHandler(turn_page, pattern=cd.pattern_for(RecapPage)))
    app.add_handler(CallbackQueryHandler(pick_edition, pattern=cd.pattern_for(RecapEdition)))
