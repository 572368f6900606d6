"""/start: register to a unit (paged keyboard, search by typing, confirm) or change unit."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain import units as unit_rules
from bot.domain.choices import YES, yes_no
from bot.domain.errors import NotFound, StaleAction
from bot.domain.membership import JoinPath
from bot.domain.units import Member, Role
from bot.handlers import callback_data as cd
from bot.handlers import commands, keyboards, menu, render
from bot.handlers import membership as membership_handlers
from bot.handlers import membership_render as membership_view
from bot.handlers.context import BotContext
from bot.handlers.flows import on_flow_text, read_choice

FLOW = "register"
MAX_QUERY = 60


async def start(update: Update, context: BotContext) -> None:
    """Greet; show the current unit to registered members, else the unit list."""
    message = update.effective_message
    member = context.member
    if message is None or member is None:
        return
    _ = context.translator
    chat = update.effective_chat
    if chat is not None and chat.type == "private":
        await menu.publish(
            context.bot,
            context.catalogs,
            chat_id=chat.id,
            role=member.role,
            language=member.language,
        )
    if member.unit_id is None and member.pending_unit_id is not None:
        request = await context.services.membership.pending(member)
        if request is not None:
            await context.services.flows.clear(member.user_id)
            await message.reply_html(
                membership_view.pending_status(_, request), reply_markup=keyboards.change_unit(_)
            )
            return
    if member.unit_id is not None:
        try:
            unit = await context.services.units.get(member.unit_id)
        except NotFound:
            unit = None
        if unit is not None:
            await context.services.flows.clear(member.user_id)
            await message.reply_html(
                render.current_registration(_, member, unit), reply_markup=keyboards.change_unit(_)
            )
            return
    await message.reply_html(render.welcome_pick_unit(_, member.display_name))
    await _show_units(update, context, page=0, query=None, edit=False)


async def _show_units(
    update: Update, context: BotContext, *, page: int, query: str | None, edit: bool
) -> None:
    member = context.member
    assert member is not None  # guaranteed by the caller
    _ = context.translator
    all_units = await context.services.units.list_units()
    matches = unit_rules.search_units(all_units, query) if query else all_units
    shown_units = matches or all_units
    shown, page, pages = unit_rules.page(shown_units, page, keyboards.UNITS_PER_PAGE)
    await context.services.flows.put(member.user_id, FLOW, "pick", {"page": page, "query": query})
    text = render.unit_list(_, query=query, count=len(matches), page=page, pages=pages)
    markup = keyboards.unit_page(_, shown, page, pages)
    query_obj = update.callback_query
    if edit and query_obj is not None:
        await query_obj.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
    elif update.effective_message is not None:
        await update.effective_message.reply_html(text, reply_markup=markup)


async def search(update: Update, context: BotContext) -> None:
    """Typed text during registration filters the unit list."""
    message = update.effective_message
    if message is None or not message.text:
        return
    await _show_units(update, context, page=0, query=message.text.strip()[:MAX_QUERY], edit=False)


async def typed(update: Update, context: BotContext) -> None:
    """Typed text during registration: "iya betul"/"tidak" at the confirmation, else a search."""
    flow, member = context.flow, context.member
    if flow is None or flow.step != "confirm" or member is None:
        await search(update, context)
        return
    _ = context.translator
    choice = await read_choice(
        update, context, yes_no(_.gettext("Yes, that's right"), _.gettext("Pick again"))
    )
    if choice is None or update.effective_message is None:
        return
    if choice != YES:
        page, query = int(flow.data.get("page", 0)), flow.data.get("query")
        await _show_units(update, context, page=page, query=query, edit=False)
        return
    await _join(update, context, member, int(flow.data["unit_id"]), flow.revision)


async def page(update: Update, context: BotContext) -> None:
    """‹ › buttons: another page of the (possibly filtered) list."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    if query is None or not isinstance(payload, cd.RegisterPage) or context.member is None:
        return
    flow = context.flow
    if flow is None or flow.name != FLOW:
        await _expired(update, context)
        return
    await query.answer()
    await _show_units(update, context, page=payload.page, query=flow.data.get("query"), edit=True)


async def pick(update: Update, context: BotContext) -> None:
    """A unit button: ask to confirm."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or not isinstance(payload, cd.RegisterPick) or member is None:
        return
    if context.flow is None or context.flow.name != FLOW:
        await _expired(update, context)
        return
    _ = context.translator
    try:
        unit = await context.services.units.get(payload.unit_id)
    except NotFound:
        await _expired(update, context)
        return
    flow = await context.services.flows.put(
        member.user_id, FLOW, "confirm", {**context.flow.data, "unit_id": unit.id}
    )
    text = render.confirm_unit(_, unit)
    if member.role is Role.COORDINATOR and member.unit_id not in (None, unit.id):
        try:
            current = await context.services.units.get(member.unit_id or 0)
            text = membership_view.coordinator_warning(_, current.name) + "\n\n" + text
        except NotFound:
            pass
    await query.answer()
    await query.edit_message_text(
        text,
        parse_mode="HTML",
        reply_markup=keyboards.confirm_unit(_, unit, flow.revision),
    )


async def confirm(update: Update, context: BotContext) -> None:
    """ "Yes": register the member; only valid for the step that showed the button."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or not isinstance(payload, cd.RegisterConfirm) or member is None:
        return
    flow = context.flow
    if (
        flow is None
        or flow.name != FLOW
        or flow.step != "confirm"
        or flow.revision != payload.revision
        or flow.data.get("unit_id") != payload.unit_id
    ):
        await _expired(update, context)
        return
    await _join(update, context, member, payload.unit_id, payload.revision)


async def _join(
    update: Update, context: BotContext, member: Member, unit_id: int, revision: int
) -> None:
    """Join `unit_id` (pressed "Yes" or typed "iya"): at once, or as a request to its deciders.

    Both confirmations go through MembershipService.join, so typing cannot skip the consent
    of a unit's coordinator.
    """
    _ = context.translator
    query = update.callback_query
    try:
        outcome = await context.services.membership.join(member, unit_id, flow=(FLOW, revision))
        unit = await context.services.units.get(unit_id)
    except (NotFound, StaleAction):
        await _expired(update, context)
        return
    if outcome.path is JoinPath.REQUEST:
        note = _.gettext("Request sent.")
        text = membership_view.outcome_for_person(_, outcome)
    else:
        note = _.gettext("Registered.")
        text = render.registered(_, unit)
        if outcome.lost_role:
            text = _.gettext("Your coordinator role there has ended.") + "\n\n" + text
    if query is not None:
        await query.answer(note)
        await query.edit_message_text(text, parse_mode="HTML")
    elif update.effective_message is not None:
        await update.effective_message.reply_html(text)
    await membership_handlers.announce(context, outcome)


async def back(update: Update, context: BotContext) -> None:
    """ "Pick again": back to the list."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    if query is None or not isinstance(payload, cd.RegisterBack) or context.member is None:
        return
    flow = context.flow
    if flow is None or flow.name != FLOW or flow.revision != payload.revision:
        await _expired(update, context)
        return
    await query.answer()
    await _show_units(
        update,
        context,
        page=int(flow.data.get("page", 0)),
        query=flow.data.get("query"),
        edit=True,
    )


async def change(update: Update, context: BotContext) -> None:
    """ "Change unit": start the picking flow again."""
    query = update.callback_query
    if query is None or context.member is None:
        return
    await query.answer()
    await _show_units(update, context, page=0, query=None, edit=True)


async def _expired(update: Update, context: BotContext) -> None:
    text = context.translator.gettext("This button has expired. Type /start to begin again.")
    query = update.callback_query
    if query is not None:
        await query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_html(text)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/start and the registration buttons; typed text during registration searches units."""
    app.add_handler(CommandHandler(commands.START, start))
    app.add_handler(CallbackQueryHandler(page, pattern=cd.pattern_for(cd.RegisterPage)))
    app.add_handler(CallbackQueryHandler(pick, pattern=cd.pattern_for(cd.RegisterPick)))
    app.add_handler(CallbackQueryHandler(confirm, pattern=cd.pattern_for(cd.RegisterConfirm)))
    app.add_handler(CallbackQueryHandler(back, pattern=cd.pattern_for(cd.RegisterBack)))
    app.add_handler(CallbackQueryHandler(change, pattern=cd.pattern_for(cd.RegisterChange)))
    on_flow_text(app, FLOW, typed)
