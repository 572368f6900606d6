"""Coordinators and admins manage a unit's evidence: look at one file, delete it, replace it."""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.domain.errors import NotAllowed, NotFound
from bot.domain.evidence import Evidence
from bot.handlers import admin_render as view
from bot.handlers import callback_data as cd
from bot.handlers.context import BotContext
from bot.handlers.keyboards import button
from bot.handlers.members import expired, refuse, registered
from bot.i18n import Translator

FLOW = "evidence"  # the /bukti flow: a replacement waits for its file there


def describe(_: Translator, item: Evidence, zone: str) -> str:
    """One file: name, size, date, uploader and caption."""
    lines = [
        "<b>" + escape(view.file_label(_, item)) + "</b>",
        _.gettext("Size: {size}").format(size=view.file_size(_, item.size)),
        _.gettext("Sent: {date}").format(date=_.datetime(item.created_at, zone)),
        _.gettext("By: {name}").format(name=escape(item.uploader_name or "—")),
    ]
    if item.caption:
        lines.append(_.gettext("Caption: {caption}").format(caption=escape(item.caption)))
    if item.deadline_title:
        lines.append(_.gettext("Deadline: {title}").format(title=escape(item.deadline_title)))
    return "\n".join(lines)


def _menu(_: Translator, item: Evidence) -> InlineKeyboardMarkup:
    rows = [[button("🗑 " + _.gettext("Delete"), view.EvidenceDelete(item.id))]]
    if item.indicator_id is not None:
        rows[0].append(button("🔁 " + _.gettext("Replace"), view.EvidenceReplace(item.id)))
    rows.append([button("‹ " + _.gettext("Back to the list"), view.EvidenceList(item.unit_id, 0))])
    return InlineKeyboardMarkup(rows)


async def _manageable(update: Update, context: BotContext, evidence_id: int) -> Evidence | None:
    assert context.member is not None
    try:
        return await context.services.evidence.manageable(context.member, evidence_id)
    except NotAllowed:
        await refuse(update, context)
    except NotFound:
        await expired(update, context)
    return None


@registered
async def manage(update: Update, context: BotContext) -> None:
    """ "✏️ n": the file and what can be done with it."""
    query, payload = update.callback_query, cd.pressed(update, view.EvidenceManage)
    if query is None or payload is None or context.member is None:
        return
    item = await _manageable(update, context, payload.evidence_id)
    if item is None:
        return
    _ = context.translator
    await query.answer()
    await query.edit_message_text(
        describe(_, item, context.member.timezone), parse_mode="HTML", reply_markup=_menu(_, item)
    )


@registered
async def delete(update: Update, context: BotContext) -> None:
    """ "🗑 Hapus": gone from the list, the recap and the disk (audited)."""
    query, payload = update.callback_query, cd.pressed(update, view.EvidenceDelete)
    member = context.member
    if query is None or payload is None or member is None:
        return
    _ = context.translator
    try:
        item = await context.services.evidence.delete(member, payload.evidence_id)
    except NotAllowed:
        await refuse(update, context)
        return
    except NotFound:
        await expired(update, context)
        return
    await query.answer(_.gettext("Deleted."))
    await query.edit_message_text(
        _.gettext("Deleted: {name}.").format(name=escape(view.file_label(_, item))),
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    button(
                        "📋 " + _.gettext("See the unit's evidence"),
                        view.EvidenceList(item.unit_id, 0),
                    )
                ]
            ]
        ),
    )


@registered
async def replace(update: Update, context: BotContext) -> None:
    """ "🔁 Ganti": wait for the new file; the old one goes once the new one is stored."""
    query, payload = update.callback_query, cd.pressed(update, view.EvidenceReplace)
    member = context.member
    if query is None or payload is None or member is None:
        return
    item = await _manageable(update, context, payload.evidence_id)
    if item is None or item.indicator_id is None:
        if item is not None:
            await expired(update, context)
        return
    indicator = context.services.evidence.indicator(item.indicator_id)
    await context.services.flows.put(
        member.user_id, FLOW, "file", {"indicator_id": indicator.id, "replaces": item.id}
    )
    _ = context.translator
    await query.answer()
    await query.edit_message_text(
        _.gettext("The new file will replace <b>{name}</b>.").format(
            name=escape(view.file_label(_, item))
        )
        + "\n\n"
        + view.ask_for_file(_, indicator),
        parse_mode="HTML",
    )


async def replaced(context: BotContext, evidence_id: int) -> bool:
    """After the new file is stored: remove the one it replaces (role checked again)."""
    assert context.member is not None
    try:
        await context.services.evidence.delete(context.member, evidence_id)
    except (NotFound, NotAllowed):
        return False
    return True


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The manage buttons (registered by evidence.register)."""
    app.add_handler(CallbackQueryHandler(manage, pattern=cd.pattern_for(view.EvidenceManage)))
    app.add_handler(CallbackQueryHandler(delete, pattern=cd.pattern_for(view.EvidenceDelete)))
    app.add_handler(CallbackQueryHandler(replace, pattern=cd.pattern_for(view.EvidenceReplace)))
