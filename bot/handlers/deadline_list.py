"""/tenggat in pages: every deadline reachable, with "Sudah siap" (and undo) and "Kirim bukti"."""

from __future__ import annotations

import dataclasses
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.units import Role
from bot.handlers import callback_data as cd
from bot.handlers import reminders_render as render
from bot.handlers.context import BotContext
from bot.handlers.keyboards import button
from bot.handlers.members import expired, refuse, registered
from bot.handlers.reminder_evidence_data import ReminderEvidence
from bot.handlers.reminders_data import (
    DeadlineArchive,
    DeadlineEdit,
    ReminderDone,
    ReminderSnooze,
)
from bot.i18n import Translator
from bot.services.reminders import DeadlineStatus

PAGE_SIZE = 10


@cd.callback("rm1.lp")
@dataclasses.dataclass(frozen=True, slots=True)
class DeadlinePage:
    """‹ › in /tenggat."""

    page: int


@cd.callback("rm1.lr")
@dataclasses.dataclass(frozen=True, slots=True)
class ListReady:
    """Staff: "✅ Sudah siap" from /tenggat; the list is shown again at `page`."""

    deadline_id: int
    page: int


@cd.callback("rm1.lu")
@dataclasses.dataclass(frozen=True, slots=True)
class ListUndo:
    """Staff: take "Sudah siap" back."""

    deadline_id: int
    page: int


def _rows(
    _: Translator, status: DeadlineStatus, number: int, page: int, *, staff: bool, unit: bool
) -> list[list[InlineKeyboardButton]]:
    deadline_id = status.deadline.id
    first = []
    if staff and unit and status.done_at is None:
        first.append(button(f"✅ {number}. " + _.gettext("Ready"), ListReady(deadline_id, page)))
    elif staff and unit:
        first.append(button(f"↩️ {number}. " + _.gettext("Not ready"), ListUndo(deadline_id, page)))
    if unit:
        first.append(
            button(f"📎 {number}. " + _.gettext("Send evidence"), ReminderEvidence(deadline_id))
        )
    second = []
    if status.can_edit:
        second.append(button(f"✏️ {number}. " + _.gettext("Edit"), DeadlineEdit(deadline_id)))
    if status.can_archive:
        second.append(button(f"🗄 {number}. " + _.gettext("Archive"), DeadlineArchive(deadline_id)))
    return [row for row in (first, second) if row]


def keyboard(
    _: Translator,
    statuses: list[DeadlineStatus],
    page: int,
    pages: int,
    *,
    staff: bool,
    unit: bool,
) -> InlineKeyboardMarkup | None:
    """Buttons for the deadlines on this page, numbered as in the text, then ‹ ›."""
    rows = []
    for offset, status in enumerate(statuses):
        rows += _rows(_, status, page * PAGE_SIZE + offset + 1, page, staff=staff, unit=unit)
    nav = []
    if page > 0:
        nav.append(button("‹ " + _.pgettext("pager", "Previous"), DeadlinePage(page - 1)))
    if page < pages - 1:
        nav.append(button(_.pgettext("pager", "Next") + " ›", DeadlinePage(page + 1)))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows) if rows else None


async def show(update: Update, context: BotContext, page: int, *, edit: bool) -> None:
    """One page of the member's deadlines (all of them, PAGE_SIZE at a time)."""
    member = context.member
    assert member is not None  # callers check
    _ = context.translator
    statuses = await context.services.reminders.upcoming(member, limit=None)
    pages = max(1, -(-len(statuses) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = statuses[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    staff = member.role is not Role.MEMBER
    files = await context.services.evidence.counts_by_deadline(
        member, (s.deadline.id for s in shown)
    )
    text = render.deadline_list(
        _, shown, member.timezone, staff=staff, evidence=files, start=page * PAGE_SIZE + 1
    )
    if pages > 1:
        text += "\n\n" + _.gettext("Page {page} of {pages}.").format(page=page + 1, pages=pages)
    markup = keyboard(_, shown, page, pages, staff=staff, unit=member.unit_id is not None)
    query = update.callback_query
    if edit and query is not None:
        await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
    elif update.effective_message is not None:
        await update.effective_message.reply_html(text, reply_markup=markup)


@registered
async def list_deadlines(update: Update, context: BotContext) -> None:
    """/tenggat: the first page."""
    if update.effective_message is None or context.member is None:
        return
    await show(update, context, 0, edit=False)


@registered
async def turn(update: Update, context: BotContext) -> None:
    """‹ ›: another page."""
    query, payload = update.callback_query, cd.pressed(update, DeadlinePage)
    if query is None or payload is None or context.member is None:
        return
    await query.answer()
    await show(update, context, payload.page, edit=True)


@registered
async def ready(update: Update, context: BotContext) -> None:
    """ "✅ Sudah siap" in the list (staff): mark, then show the same page again."""
    query, payload = update.callback_query, cd.pressed(update, ListReady)
    member = context.member
    if query is None or payload is None or member is None:
        return
    _ = context.translator
    if member.role is Role.MEMBER:
        await refuse(update, context)
        return
    try:
        await context.services.reminders.mark_done(member, payload.deadline_id)
    except (NotFound, InvalidInput):
        await expired(update, context)
        return
    await query.answer(_.gettext("Thank you!"))
    await show(update, context, payload.page, edit=True)


@registered
async def undo(update: Update, context: BotContext) -> None:
    """ "↩️ Belum siap": take the mark back (staff), then show the same page again."""
    query, payload = update.callback_query, cd.pressed(update, ListUndo)
    member = context.member
    if query is None or payload is None or member is None:
        return
    try:
        await context.services.reminders.undo_done(member, payload.deadline_id)
    except NotAllowed:
        await refuse(update, context)
        return
    except NotFound:
        await expired(update, context)
        return
    await query.answer(context.translator.gettext("Marked as not ready."))
    await show(update, context, payload.page, edit=True)


def without_done(markup: InlineKeyboardMarkup | None, deadline_id: int) -> InlineKeyboardMarkup:
    """A reminder's keyboard after "Sudah siap": no ✅ for that deadline, and no "Ingatkan
    besok" once every deadline of the message is ready."""
    rows = []
    for row in markup.inline_keyboard if markup is not None else ():
        kept = [b for b in row if cd.decode(str(b.callback_data)) != ReminderDone(deadline_id)]
        if kept:
            rows.append(kept)
    open_left = any(
        isinstance(cd.decode(str(b.callback_data)), ReminderDone) for row in rows for b in row
    )
    if not open_left:
        rows = [
            [b for b in row if not isinstance(cd.decode(str(b.callback_data)), ReminderSnooze)]
            for row in rows
        ]
    return InlineKeyboardMarkup([row for row in rows if row])


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The /tenggat page and list buttons (the command itself is registered by reminders.py)."""
    app.add_handler(CallbackQueryHandler(turn, pattern=cd.pattern_for(DeadlinePage)))
    app.add_handler(CallbackQueryHandler(ready, pattern=cd.pattern_for(ListReady)))
    app.add_handler(CallbackQueryHandler(undo, pattern=cd.pattern_for(ListUndo)))
