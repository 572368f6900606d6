"""/bukti: attach a photo or document to an indicator, list a unit's evidence, fetch files back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.errors import InvalidInput, NotFound, NotRegistered
from bot.domain.evidence import IncomingFile
from bot.domain.roles import allowed
from bot.domain.units import Role
from bot.handlers import admin_render as view
from bot.handlers import callback_data as cd
from bot.handlers import commands, evidence_manage
from bot.handlers.context import BotContext
from bot.handlers.flows import on_flow_text
from bot.handlers.members import expired, registered

FLOW = "evidence"
PENDING_FLOW = "bukti_simpan"  # a file sent outside any flow, waiting for its indicator/deadline
FILE_ROUTES_KEY = "file_routes"
UNFILED_KEY = "unfiled_file"
#: Another feature's claim on an incoming file (e.g. a reply to a reminder): True if it handled it.
FileRoute = Callable[[Update, BotContext, IncomingFile], Awaitable[bool]]
#: What to do with a file no route and no flow took (offer to save it: see evidence_offer).
FileOffer = Callable[[Update, BotContext, IncomingFile], Awaitable[None]]


def on_file(app: Application[Any, Any, Any, Any, Any, Any], route: FileRoute) -> None:
    """Let `route` look at every incoming photo/document before the /bukti flow does."""
    app.bot_data.setdefault(FILE_ROUTES_KEY, []).append(route)


async def _show_list(
    update: Update, context: BotContext, unit_id: int, page: int, *, edit: bool
) -> None:
    member = context.member
    assert member is not None  # callers check
    items = await context.services.evidence.list_for_unit(member, unit_id=unit_id)
    unit = await context.services.units.get(unit_id)
    text, markup = view.evidence_page(
        context.translator,
        unit,
        context.services.evidence.methodology,
        items,
        page,
        member.timezone,
        # Buttons follow the role table; the service checks again on every press.
        can_fetch=allowed(member, "evidence.fetch", unit_id),
        can_add=unit_id == member.unit_id,
        other_units=member.role is Role.ADMIN,
    )
    query = update.callback_query
    if edit and query is not None:
        await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
    elif update.effective_message is not None:
        await update.effective_message.reply_html(text, reply_markup=markup)


@registered
async def evidence_command(update: Update, context: BotContext) -> None:
    """List the member's unit's evidence (admins without a unit pick one)."""
    member = context.member
    message = update.effective_message
    if member is None or message is None:
        return
    if member.unit_id is None:
        units = await context.services.units.list_units()
        text, markup = view.unit_picker(context.translator, units, 0)
        await message.reply_html(text, reply_markup=markup)
        return
    await _show_list(update, context, member.unit_id, 0, edit=False)


@registered
async def evidence_list(update: Update, context: BotContext) -> None:
    """A page of a unit's evidence list (another unit's only for staff allowed there)."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    if query is None or context.member is None or not isinstance(payload, view.EvidenceList):
        return
    await _show_list(update, context, payload.unit_id, payload.page, edit=True)
    await query.answer()


@registered
async def evidence_units(update: Update, context: BotContext) -> None:
    """Admins: page through units to pick whose evidence to see."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    if query is None or context.member is None or not isinstance(payload, view.EvidenceUnits):
        return
    units = await context.services.units.list_units()
    text, markup = view.unit_picker(context.translator, units, payload.page)
    await query.answer()
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)


@registered
async def evidence_fetch(update: Update, context: BotContext) -> None:
    """Send a stored file back into the chat (coordinators of its unit and admins)."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or member is None or not isinstance(payload, view.EvidenceFetch):
        return
    found = await context.services.evidence.fetch(member, payload.evidence_id)
    await query.answer()
    chat = update.effective_chat
    if chat is None:
        return
    item = found.evidence
    caption = view.fetched_caption(context.translator, item)
    if found.path is not None:
        # The stored copy outlives the Telegram file id (which is tied to this bot's token).
        stored = Path(found.path)
        if item.kind == "photo":
            await context.bot.send_photo(chat.id, stored, caption=caption, parse_mode="HTML")
        else:
            await context.bot.send_document(
                chat.id,
                stored,
                caption=caption,
                parse_mode="HTML",
                filename=view.download_name(item),
            )
    elif item.kind == "photo":
        await context.bot.send_photo(
            chat.id, found.telegram_file_id, caption=caption, parse_mode="HTML"
        )
    else:
        await context.bot.send_document(
            chat.id, found.telegram_file_id, caption=caption, parse_mode="HTML"
        )


@registered
async def evidence_add(update: Update, context: BotContext) -> None:
    """ "Add evidence": pick a dimension of the current edition."""
    query = update.callback_query
    if query is None or context.member is None:
        return
    if context.member.unit_id is None:
        await expired(update, context)
        return
    pending = context.flow
    if pending is not None and pending.name == PENDING_FLOW:
        # "Tambah bukti" asks for a new file: a stray file sent earlier and never filed must
        # not be stored under the indicator picked now.
        await context.services.flows.clear(context.member.user_id)
        context.flow = None
    dimensions = context.services.evidence.methodology.all_dimensions
    text, markup = view.dimension_picker(context.translator, dimensions)
    await query.answer()
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)


@registered
async def evidence_dimension(update: Update, context: BotContext) -> None:
    """A dimension was picked: show its indicators."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    if query is None or context.member is None or not isinstance(payload, view.EvidenceDimension):
        return
    dimensions = context.services.evidence.methodology.all_dimensions
    if not 0 <= payload.index < len(dimensions) or context.member.unit_id is None:
        await expired(update, context)
        return
    text, markup = view.indicator_picker(context.translator, dimensions[payload.index])
    await query.answer()
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)


@registered
async def evidence_indicator(update: Update, context: BotContext) -> None:
    """An indicator was picked: wait for the file (the flow lives in the database)."""
    query = update.callback_query
    payload = cd.decode(query.data if query else None)
    member = context.member
    if query is None or member is None or not isinstance(payload, view.EvidenceIndicator):
        return
    try:
        indicator = context.services.evidence.indicator(payload.indicator_id)
    except NotFound:
        await expired(update, context)
        return
    if member.unit_id is None:
        await expired(update, context)
        return
    pending = context.flow
    if pending is not None and pending.name == PENDING_FLOW and "file" in pending.data:
        await query.answer()  # the file came first: store it now
        incoming = IncomingFile(**pending.data["file"])
        await store_for_indicator(update, context, indicator.id, incoming)
        return
    await context.services.flows.put(member.user_id, FLOW, "file", {"indicator_id": indicator.id})
    await query.answer()
    await query.edit_message_text(
        view.ask_for_file(context.translator, indicator), parse_mode="HTML"
    )


def incoming_file(message: Message) -> IncomingFile | None:
    """What the user sent (largest photo size, or the document), as untrusted data."""
    if message.photo:
        largest = message.photo[-1]
        return IncomingFile(
            "photo",
            largest.file_id,
            largest.file_unique_id,
            None,
            largest.file_size,
            caption=message.caption,
        )
    document = message.document
    if document is not None:
        return IncomingFile(
            "document",
            document.file_id,
            document.file_unique_id,
            document.mime_type,
            document.file_size,
            document.file_name,
            message.caption,
        )
    return None


def downloader(context: BotContext, file_id: str) -> Callable[[], Awaitable[bytes]]:
    """Download a file through getFile (called by the service after its checks)."""

    async def download() -> bytes:
        try:
            telegram_file = await context.bot.get_file(file_id)
        except BadRequest as exc:
            # getFile refuses files above 20 MB ("file is too big").
            if "too big" in str(exc).lower():
                raise InvalidInput("file", "too_large") from None
            raise
        return bytes(await telegram_file.download_as_bytearray())

    return download


@registered
async def receive_file(update: Update, context: BotContext) -> None:
    """A photo or document: store it for the indicator picked in /bukti."""
    message = update.effective_message
    member = context.member
    if message is None or member is None:
        return
    incoming = incoming_file(message)
    if incoming is None:
        return
    routes: list[FileRoute] = context.application.bot_data.get(FILE_ROUTES_KEY, [])
    for route in routes:
        if await route(update, context, incoming):
            return
    _ = context.translator
    flow = context.flow
    if flow is None or flow.name != FLOW or "indicator_id" not in flow.data:
        unfiled: FileOffer | None = context.application.bot_data.get(UNFILED_KEY)
        if unfiled is not None:
            await unfiled(update, context, incoming)
            return
        await message.reply_html(
            _.gettext(
                "To keep this file as evidence, type /bukti, press “Add evidence” and pick the "
                "indicator first; then send the file."
            )
        )
        return
    replaces = flow.data.get("replaces")
    await store_for_indicator(
        update, context, str(flow.data["indicator_id"]), incoming, replaces=replaces
    )


async def store_for_indicator(
    update: Update,
    context: BotContext,
    indicator_id: str,
    incoming: IncomingFile,
    *,
    replaces: int | None = None,
) -> None:
    """Store `incoming` for an indicator of the member's unit and say so (the flow ends)."""
    message, member = update.effective_message, context.member
    if message is None or member is None:
        return
    _ = context.translator
    try:
        item = await context.services.evidence.attach(
            member,
            indicator_id=indicator_id,
            incoming=incoming,
            download=downloader(context, incoming.file_id),
        )
    except InvalidInput as exc:
        await message.reply_html(view.refused_file(_, exc.reason))
        return
    except (NotFound, NotRegistered):
        await context.services.flows.clear(member.user_id)
        await message.reply_html(
            _.gettext("That choice is no longer valid. Type /bukti to start again.")
        )
        return
    await context.services.flows.clear(member.user_id)
    indicator = context.services.evidence.indicator(indicator_id)
    text, markup = view.stored(_, item, indicator)
    if replaces is not None and await evidence_manage.replaced(context, int(replaces)):
        text += "\n" + _.gettext("The earlier file was deleted.")
    await message.reply_html(text, reply_markup=markup)


async def text_during_flow(update: Update, context: BotContext) -> None:
    """Typed text while a file is awaited: remind what to send."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_html(
        context.translator.gettext(
            "I am waiting for a photo or document. Send the file, or type /batal to stop."
        )
    )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/bukti, its buttons (tag bk1.) and incoming photos/documents in private chats."""
    app.add_handler(CommandHandler([commands.EVIDENCE, "evidence"], evidence_command))
    app.add_handler(CallbackQueryHandler(evidence_list, pattern=cd.pattern_for(view.EvidenceList)))
    app.add_handler(
        CallbackQueryHandler(evidence_units, pattern=cd.pattern_for(view.EvidenceUnits))
    )
    app.add_handler(
        CallbackQueryHandler(evidence_fetch, pattern=cd.pattern_for(view.EvidenceFetch))
    )
    app.add_handler(CallbackQueryHandler(evidence_add, pattern=cd.pattern_for(view.EvidenceAdd)))
    app.add_handler(
        CallbackQueryHandler(evidence_dimension, pattern=cd.pattern_for(view.EvidenceDimension))
    )
    app.add_handler(
        CallbackQueryHandler(evidence_indicator, pattern=cd.pattern_for(view.EvidenceIndicator))
    )
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & (filters.PHOTO | filters.Document.ALL), receive_file
        )
    )
    on_flow_text(app, FLOW, text_during_flow)
    evidence_manage.register(app)
