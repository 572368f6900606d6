"""A photo or document sent outside any flow: "Simpan sebagai bukti?" for an open deadline of
the unit (one press) or an indicator (the /bukti picker), instead of "send it again"."""

from __future__ import annotations

import dataclasses
from html import escape
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.domain.evidence import IncomingFile
from bot.handlers import admin_render as view
from bot.handlers import callback_data as cd
from bot.handlers import evidence, reminder_evidence
from bot.handlers.context import BotContext
from bot.handlers.keyboards import button, short
from bot.handlers.members import expired, registered
from bot.i18n import Translator
from bot.services.flows import Flow
from bot.services.reminders import DeadlineStatus

FLOW = evidence.PENDING_FLOW
MAX_DEADLINES = 8


@cd.callback("bs1.d")
@dataclasses.dataclass(frozen=True, slots=True)
class OfferDeadline:
    """Save the waiting file for this deadline."""

    revision: int
    deadline_id: int


@cd.callback("bs1.i")
@dataclasses.dataclass(frozen=True, slots=True)
class OfferIndicator:
    """Pick an indicator for the waiting file."""

    revision: int


@cd.callback("bs1.x")
@dataclasses.dataclass(frozen=True, slots=True)
class OfferCancel:
    """Do not keep the file."""

    revision: int


def question(_: Translator, incoming: IncomingFile, deadlines: list[DeadlineStatus]) -> str:
    """ "Simpan sebagai bukti?" with what the file is."""
    name = incoming.file_name or (_.gettext("photo") if incoming.kind == "photo" else "")
    lines = [_.gettext("<b>Save as evidence?</b>") + (f" ({escape(name)})" if name else "")]
    if deadlines:
        lines.append(_.gettext("Pick the open deadline it is for, or an indicator."))
    else:
        lines.append(_.gettext("Pick the indicator it is for."))
    return "\n".join(lines)


def keyboard(
    _: Translator, deadlines: list[DeadlineStatus], revision: int
) -> InlineKeyboardMarkup:
    """One button per open deadline, then "indicator" and "cancel"."""
    rows = [
        [button("📅 " + short(s.deadline.title, 48), OfferDeadline(revision, s.deadline.id))]
        for s in deadlines
    ]
    rows.append(
        [
            button("📂 " + _.gettext("Choose an indicator"), OfferIndicator(revision)),
            button(_.gettext("Cancel"), OfferCancel(revision)),
        ]
    )
    return InlineKeyboardMarkup(rows)


async def offer(update: Update, context: BotContext, incoming: IncomingFile) -> None:
    """Keep the file's description in the flow and ask where it belongs."""
    message, member = update.effective_message, context.member
    if message is None or member is None:
        return
    _ = context.translator
    if member.unit_id is None:
        await message.reply_html(
            _.gettext(
                "Evidence always belongs to a unit: register to your unit with /start first."
            )
        )
        return
    statuses = await context.services.reminders.upcoming(member, limit=None)
    open_ = [s for s in statuses if s.done_at is None and s.days_left >= 0][:MAX_DEADLINES]
    flow = await context.services.flows.put(
        member.user_id, FLOW, "target", {"file": dataclasses.asdict(incoming)}
    )
    await message.reply_html(
        question(_, incoming, open_), reply_markup=keyboard(_, open_, flow.revision)
    )


def _waiting(context: BotContext, revision: int) -> Flow | None:
    flow = context.flow
    if flow is None or flow.name != FLOW or flow.revision != revision or "file" not in flow.data:
        return None
    return flow


@registered
async def to_deadline(update: Update, context: BotContext) -> None:
    """A deadline: store the file for it (the deadline must be the member's unit's)."""
    query, payload = update.callback_query, cd.pressed(update, OfferDeadline)
    if query is None or payload is None or context.member is None:
        return
    flow = _waiting(context, payload.revision)
    if flow is None:
        await expired(update, context)
        return
    await context.services.flows.clear(context.member.user_id)
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    incoming = IncomingFile(**flow.data["file"])
    await reminder_evidence.attach(update, context, payload.deadline_id, incoming)


@registered
async def to_indicator(update: Update, context: BotContext) -> None:
    """ "Pilih indikator": the /bukti dimension picker; the indicator press stores the file."""
    query, payload = update.callback_query, cd.pressed(update, OfferIndicator)
    if query is None or payload is None or context.member is None:
        return
    if _waiting(context, payload.revision) is None:
        await expired(update, context)
        return
    dimensions = context.services.evidence.methodology.all_dimensions
    text, markup = view.dimension_picker(context.translator, dimensions)
    await query.answer()
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)


@registered
async def cancel(update: Update, context: BotContext) -> None:
    """ "Batal": the file is not kept."""
    query, payload = update.callback_query, cd.pressed(update, OfferCancel)
    if query is None or payload is None or context.member is None:
        return
    if _waiting(context, payload.revision) is None:
        await expired(update, context)
        return
    await context.services.flows.clear(context.member.user_id)
    await query.answer()
    await query.edit_message_text(context.translator.gettext("Cancelled."))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The question's buttons, and the offer itself for files no flow waits for."""
    app.bot_data[evidence.UNFILED_KEY] = offer
    app.add_handler(CallbackQueryHandler(to_deadline, pattern=cd.pattern_for(OfferDeadline)))
    app.add_handler(CallbackQueryHandler(to_indicator, pattern=cd.pattern_for(OfferIndicator)))
    app.add_handler(CallbackQueryHandler(cancel, pattern=cd.pattern_for(OfferCancel)))
