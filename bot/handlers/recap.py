"""/rekap (admins: every unit; coordinators: their own): text, PNG chart and .xlsx workbook."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler

from bot.domain.errors import NotAllowed, NotFound
from bot.domain.recap import Recap
from bot.handlers import commands
from bot.handlers import recap_render as render
from bot.handlers.context import BotContext
from bot.handlers.members import refuse, registered
from bot.handlers.render import split_message
from bot.handlers.selfcheck_render import estimate_label
from bot.i18n import Translator


@registered
async def recap(update: Update, context: BotContext) -> None:
    """Send the recap: one message, the chart, the workbook."""
    message, member, chat = update.effective_message, context.member, update.effective_chat
    if message is None or member is None or chat is None:
        return
    _ = context.translator
    try:
        result = await context.services.recap.recap(member)
    except (NotAllowed, NotFound):
        await refuse(update, context)
        return
    for part in split_message(render.recap_text(_, result)):
        await message.reply_html(part)
    png = await asyncio.to_thread(_chart, _, result)
    await context.bot.send_photo(chat.id, png, caption=estimate_label(_))
    workbook = await asyncio.to_thread(_workbook, result)
    await context.bot.send_document(
        chat.id,
        InputFile(workbook, filename=render.file_name(result)),
        caption=render.file_caption(_, result),
        parse_mode="HTML",
    )


def _chart(_: Translator, result: Recap) -> bytes:
    # Imported in the worker thread: matplotlib is slow to import (see selfcheck handler).
    from bot.reports import recap_export

    scored = [u for u in result.units if u.score is not None]
    return recap_export.score_chart(
        [u.name for u in scored],
        [float(u.score or 0) for u in scored],
        result.categories,
        title=render.chart_title(_, result),
        note=estimate_label(_),
        empty=render.chart_empty(_),
    )


def _workbook(result: Recap) -> bytes:
    from bot.reports import recap_export

    return recap_export.workbook_bytes(result)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/rekap."""
    app.add_handler(CommandHandler(commands.RECAP, recap))
