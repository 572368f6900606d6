"""Reminder buttons, /tenggat (list, edit, archive) and /tenggat_baru (create a deadline)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.choices import YES, Choice, yes_no
from bot.domain.deadlines import DEFAULT_OFFSETS
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.knowledge import Topic
from bot.domain.offsets import CHOICES, check_offsets, parse_offsets, toggle
from bot.domain.units import Member
from bot.handlers import callback_data as cd
from bot.handlers import commands, deadline_due, deadline_list
from bot.handlers import reminders_render as render
from bot.handlers.context import BotContext
from bot.handlers.deadline_due import CONFIRM, confirm_typed, due_typed, examples, parse_typed
from bot.handlers.flows import on_flow_text, read_choice, waiting_hint
from bot.handlers.members import expired, refuse, registered
from bot.handlers.reminders_data import (
    DeadlineArchive,
    DeadlineArchiveConfirm,
    DeadlineEdit,
    DeadlineOffsets,
    NewCancel,
    NewConfirm,
    NewOffsets,
    NewScope,
    NewTopic,
    NewUnit,
    NewUnitsDone,
    OffsetCancel,
    OffsetSave,
    OffsetToggle,
    ReminderDone,
    ReminderGuide,
    ReminderSnooze,
)
from bot.handlers.render import unit_type_name
from bot.services.flows import Flow
from bot.services.reminders import DeadlineDraft

NEW_FLOW = "tenggat_baru"
EDIT_FLOW = "tenggat_edit"
OFFSETS = "offsets"  # the reminder-schedule step, in both flows
MAX_TITLE = 120
TOPICS_SHOWN = 8  # topic buttons in /tenggat_baru
TOPICS_FOUND = 4  # of them, at most this many found by the title


# --- buttons on a reminder ------------------------------------------------------------------


@registered
async def done(update: Update, context: BotContext) -> None:
    """ "✅ Sudah siap": record the unit's evidence as ready."""
    query, member = update.callback_query, context.member
    payload = cd.pressed(update, ReminderDone)
    if query is None or payload is None or member is None:
        return
    _ = context.translator
    try:
        result = await context.services.reminders.mark_done(member, payload.deadline_id)
    except (NotFound, InvalidInput):
        await expired(update, context)
        return
    await query.answer(_.gettext("Thank you!"))
    message = update.effective_message
    if message is not None and not result.already:
        markup = deadline_list.without_done(message.reply_markup, payload.deadline_id)
        await query.edit_message_reply_markup(reply_markup=markup)
    if update.effective_message is not None:
        await update.effective_message.reply_html(
            render.done_note(
                _,
                result.deadline.title,
                result.done_by,
                result.done_at,
                member.timezone,
                result.already,
            )
        )


@registered
async def snooze(update: Update, context: BotContext) -> None:
    """ "⏰ Ingatkan besok"."""
    query, payload = update.callback_query, cd.pressed(update, ReminderSnooze)
    member = context.member
    if query is None or payload is None or member is None:
        return
    _ = context.translator
    try:
        result = await context.services.reminders.snooze(member, payload.outbox_id)
    except NotFound:
        await expired(update, context)
        return
    except InvalidInput:  # already ready: promise no reminder the plan does not have
        await query.answer(
            _.gettext("This is already marked ready; no more reminders will come for it."),
            show_alert=True,
        )
        return
    await query.answer(render.snooze_note(_, result.until, result.timezone), show_alert=True)


@registered
async def guide(update: Update, context: BotContext) -> None:
    """ "📘 Panduan": the linked topic's title, short answer and source."""
    query, member = update.callback_query, context.member
    payload = cd.pressed(update, ReminderGuide)
    if query is None or payload is None or member is None:
        return
    try:
        result = await context.services.reminders.guide(member, payload.deadline_id)
    except NotFound:
        await expired(update, context)
        return
    await query.answer()
    if update.effective_message is not None:
        await update.effective_message.reply_html(
            render.guide_text(context.translator, result.deadline.title, result.topic)
        )


# --- /tenggat ---------------------------------------------------------------------------------


@registered
async def edit(update: Update, context: BotContext) -> None:
    """ "✏️ Ubah": show the deadline, ask for a new date (typed) or offer its reminder days."""
    query, member = update.callback_query, context.member
    payload = cd.pressed(update, DeadlineEdit)
    if query is None or payload is None or member is None:
        return
    _ = context.translator
    try:
        info = await context.services.reminders.get(member, payload.deadline_id)
    except NotFound:
        await expired(update, context)
        return
    await context.services.flows.put(member.user_id, EDIT_FLOW, "due", {"deadline_id": info.id})
    await query.answer()
    if update.effective_message is not None:
        await update.effective_message.reply_html(
            render.edit_menu(
                _, info.title, info.due_at, member.timezone, info.offsets, examples(context)
            ),
            reply_markup=render.edit_menu_keyboard(_, info.id),
        )


async def edit_text(update: Update, context: BotContext) -> None:
    """Typed text while editing a deadline: a new date (then ya/tidak), or its reminder days."""
    step = context.flow.step if context.flow is not None else None
    if step == OFFSETS:
        await offsets_typed(update, context)
    elif step == CONFIRM:
        await confirm_typed(update, context)
    else:
        await due_typed(update, context)


@registered
async def archive(update: Update, context: BotContext) -> None:
    """ "🗄 Arsipkan": ask to confirm."""
    query, payload = update.callback_query, cd.pressed(update, DeadlineArchive)
    if query is None or payload is None or context.member is None:
        return
    _ = context.translator
    await query.answer()
    if update.effective_message is not None:
        await update.effective_message.reply_html(
            _.gettext("Archive this deadline? Nobody will be reminded about it any more."),
            reply_markup=render.archive_confirm_keyboard(_, payload.deadline_id),
        )


@registered
async def archive_confirm(update: Update, context: BotContext) -> None:
    """Archive for real (role checked by the service)."""
    query, payload = update.callback_query, cd.pressed(update, DeadlineArchiveConfirm)
    member = context.member
    if query is None or payload is None or member is None:
        return
    _ = context.translator
    info = await context.services.reminders.archive(member, payload.deadline_id)
    await query.answer(_.gettext("Archived."))
    await query.edit_message_text(
        _.gettext("Archived: <b>{title}</b>.").format(title=escape(info.title)), parse_mode="HTML"
    )


# --- /tenggat_baru ---------------------------------------------------------------------------


@registered
async def new(update: Update, context: BotContext) -> None:
    """/tenggat_baru: admins, and coordinators for their own unit."""
    message, member = update.effective_message, context.member
    if message is None or member is None:
        return
    await context.services.reminders.creation_options(member)
    await context.services.flows.put(member.user_id, NEW_FLOW, "title", {})
    await message.reply_html(render.ask_title(context.translator))


async def new_text(update: Update, context: BotContext) -> None:
    """Typed text during /tenggat_baru: the title, later the due date."""
    message, member, flow = update.effective_message, context.member, context.flow
    if message is None or not message.text or member is None or flow is None:
        return
    _ = context.translator
    if flow.step == "title":
        title = " ".join(message.text.split())[:MAX_TITLE]
        topics = await _topics(context, member, title)
        if topics:
            flow = await context.services.flows.put(
                member.user_id, NEW_FLOW, "topic", {"title": title}
            )
            await message.reply_html(
                render.ask_topic(_),
                reply_markup=render.topic_keyboard(_, topics, flow.revision),
            )
        else:
            await _ask_scope(update, context, {"title": title, "topic": None})
    elif flow.step == "due":
        due = parse_typed(message.text, context)
        if isinstance(due, str):
            await message.reply_html(render.date_error(_, due, examples(context)))
            return
        data = {**flow.data, "due": due.isoformat()}
        flow = await context.services.flows.put(member.user_id, NEW_FLOW, "confirm", data)
        await message.reply_html(
            _confirm_text(context, flow), reply_markup=render.confirm_keyboard(_, flow.revision)
        )
    elif flow.step == OFFSETS:
        await offsets_typed(update, context)
    elif flow.step in ("topic", "confirm"):
        await _new_choice_typed(update, context, member, flow)
    else:
        await message.reply_html(waiting_hint(_))


async def _topics(context: BotContext, member: Member, title: str) -> list[Topic]:
    """Topics offered for a new deadline: what the Q&A index finds for its title first, then
    the usual evidence topics (none at all if there are no usual ones); at most TOPICS_SHOWN.
    The order depends only on the title, so a button's index stays valid."""
    usual = list((await context.services.reminders.creation_options(member)).topics)
    if not usual:
        return []
    hits = context.services.qa.decide(title).hits[:TOPICS_FOUND]
    found = [t for t in (context.services.content.topic(h.topic_id) for h in hits) if t]
    return list({t.id: t for t in [*found, *usual]}.values())[:TOPICS_SHOWN]


async def _new_choice_typed(
    update: Update, context: BotContext, member: Member, flow: Flow
) -> None:
    """A topic (number, words of its title, "lewati") or "ya"/"tidak" at the confirmation."""
    _ = context.translator
    if flow.step == "confirm":
        choice = await read_choice(update, context, yes_no(_.gettext("Save"), _.gettext("Cancel")))
        if choice == YES:
            await _create(update, context, member, flow)
        elif choice is not None:
            await context.services.flows.clear(member.user_id)
            await _reply(update, _.gettext("Cancelled."), None)
        return
    topics = await _topics(context, member, str(flow.data.get("title", "")))
    skip = frozenset({"lewati", "skip", "tidak", "ga", "tanpa"})
    choices = [Choice(str(i), t.title) for i, t in enumerate(topics)]
    choices.append(Choice("-1", _.gettext("Skip"), skip, numbered=False))
    key = await read_choice(update, context, choices)
    if key is not None:
        await _take_topic(update, context, flow, topics[int(key)] if int(key) >= 0 else None)


def _confirm_text(context: BotContext, flow: Flow) -> str:
    member = context.member
    assert member is not None
    return render.confirm_new(
        context.translator,
        title=flow.data["title"],
        topic=flow.data.get("topic_title"),
        scope=flow.data["scope_label"],
        due=datetime.fromisoformat(flow.data["due"]),
        zone=member.timezone,
        offsets=tuple(flow.data.get("offsets", DEFAULT_OFFSETS)),
    )


async def _ask_scope(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    member = context.member
    assert member is not None
    _ = context.translator
    options = await context.services.reminders.creation_options(member)
    if options.own_unit is not None:  # coordinators: only their own unit, no question
        data = {
            **data,
            "scope": {"unit_ids": [options.own_unit.id]},
            "scope_label": options.own_unit.name,
        }
        await _ask_due(update, context, data)
        return
    flow = await context.services.flows.put(member.user_id, NEW_FLOW, "scope", data)
    await _reply(
        update, render.ask_scope(_), render.scope_keyboard(_, list(options.types), flow.revision)
    )


async def _ask_due(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    member = context.member
    assert member is not None
    await context.services.flows.put(member.user_id, NEW_FLOW, "due", data)
    await _reply(update, render.date_help(context.translator, examples(context)), None)


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    if update.callback_query is not None and update.callback_query.message is not None:
        await update.callback_query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
    elif update.effective_message is not None:
        await update.effective_message.reply_html(text, reply_markup=markup)


def _current(context: BotContext, step: str, revision: int) -> Flow | None:
    flow = context.flow
    if flow is None or flow.name != NEW_FLOW or flow.step != step or flow.revision != revision:
        return None
    return flow


async def _press(
    update: Update,
    context: BotContext,
    kind: type[Any],
    find: Callable[[BotContext, int], Flow | None],
) -> tuple[CallbackQuery, Any, Member, Flow] | None:
    """A flow button: its query, payload, member and the flow step it belongs to.

    None when there is nothing to act on; a press whose flow step is gone or moved on (old,
    doubled or forged; `find` gets the payload's revision) is answered as expired first.
    """
    query, member = update.callback_query, context.member
    payload = cd.pressed(update, kind)
    if query is None or payload is None or member is None:
        return None
    flow = find(context, payload.revision)
    if flow is None:
        await expired(update, context)
        return None
    return query, payload, member, flow


def _step(step: str) -> Callable[[BotContext, int], Flow | None]:
    """Find the /tenggat_baru flow at `step`."""
    return lambda context, revision: _current(context, step, revision)


@registered
async def new_topic(update: Update, context: BotContext) -> None:
    """A topic button (or skip)."""
    pressed = await _press(update, context, NewTopic, _step("topic"))
    if pressed is None:
        return
    query, payload, member, flow = pressed
    topics = await _topics(context, member, str(flow.data.get("title", "")))
    if not -1 <= payload.index < len(topics):
        await expired(update, context)
        return
    await query.answer()
    await _take_topic(update, context, flow, topics[payload.index] if payload.index >= 0 else None)


async def _take_topic(update: Update, context: BotContext, flow: Flow, topic: Any) -> None:
    await _ask_scope(
        update,
        context,
        {
            **flow.data,
            "topic": topic.id if topic else None,
            "topic_title": topic.title if topic else None,
        },
    )


@registered
async def new_scope(update: Update, context: BotContext) -> None:
    """All units, a type, or "choose units"."""
    pressed = await _press(update, context, NewScope, _step("scope"))
    if pressed is None:
        return
    query, payload, member, flow = pressed
    options = await context.services.reminders.creation_options(member)
    _ = context.translator
    if options.own_unit is not None:
        await expired(update, context)
        return
    await query.answer()
    if payload.kind == "all":
        await _ask_due(
            update,
            context,
            {**flow.data, "scope": {"all": True}, "scope_label": _.gettext("All units")},
        )
    elif payload.kind.startswith("t-") and payload.kind[2:] in options.types:
        kind = payload.kind[2:]
        await _ask_due(
            update,
            context,
            {
                **flow.data,
                "scope": {"types": [kind]},
                "scope_label": _.gettext("All of type {type}").format(
                    type=unit_type_name(_, kind)
                ),
            },
        )
    elif payload.kind == "pick":
        flow = await context.services.flows.put(
            member.user_id, NEW_FLOW, "units", {**flow.data, "chosen": []}
        )
        await _reply(
            update,
            render.ask_units(_, 0),
            render.units_keyboard(_, list(options.units), set(), flow.revision),
        )
    else:
        await expired(update, context)


@registered
async def new_unit(update: Update, context: BotContext) -> None:
    """Toggle a unit in the chosen set."""
    pressed = await _press(update, context, NewUnit, _step("units"))
    if pressed is None:
        return
    query, payload, member, flow = pressed
    options = await context.services.reminders.creation_options(member)
    if payload.unit_id not in {u.id for u in options.units}:
        await expired(update, context)
        return
    chosen = set(flow.data.get("chosen", [])) ^ {payload.unit_id}
    flow = await context.services.flows.put(
        member.user_id, NEW_FLOW, "units", {**flow.data, "chosen": sorted(chosen)}
    )
    await query.answer()
    _ = context.translator
    await _reply(
        update,
        render.ask_units(_, len(chosen)),
        render.units_keyboard(_, list(options.units), chosen, flow.revision),
    )


@registered
async def new_units_done(update: Update, context: BotContext) -> None:
    """Done choosing units."""
    pressed = await _press(update, context, NewUnitsDone, _step("units"))
    if pressed is None:
        return
    query, _data, member, flow = pressed
    _ = context.translator
    chosen = list(flow.data.get("chosen", []))
    if not chosen:
        await query.answer(_.gettext("Choose at least one unit."), show_alert=True)
        return
    await query.answer()
    options = await context.services.reminders.creation_options(member)
    names = ", ".join(u.name for u in options.units if u.id in chosen)
    await _ask_due(
        update, context, {**flow.data, "scope": {"unit_ids": chosen}, "scope_label": names}
    )


@registered
async def new_confirm(update: Update, context: BotContext) -> None:
    """Save the deadline."""
    pressed = await _press(update, context, NewConfirm, _step("confirm"))
    if pressed is None:
        return
    await _create(update, context, pressed[2], pressed[3])


async def _create(update: Update, context: BotContext, member: Member, flow: Flow) -> None:
    """Save the new deadline (a "Simpan" press or a typed "ya")."""
    query = update.callback_query
    _ = context.translator
    data = flow.data
    draft = DeadlineDraft(
        title=data["title"],
        due_at=datetime.fromisoformat(data["due"]),
        scope=data["scope"],
        topics=(data["topic"],) if data.get("topic") else (),
        offsets=tuple(data.get("offsets", DEFAULT_OFFSETS)),
    )
    try:
        info = await context.services.reminders.create_deadline(member, draft)
    except NotAllowed:
        await context.services.flows.clear(member.user_id)
        await refuse(update, context)
        return
    except InvalidInput:
        await context.services.flows.put(member.user_id, NEW_FLOW, "due", data)
        if query is not None:
            await query.answer()
        await _reply(update, render.date_error(_, "past", examples(context)), None)
        return
    await context.services.flows.clear(member.user_id)
    if query is not None:
        await query.answer(_.gettext("Saved."))
    await _reply(update, render.saved(_, info.title, info.due_at, member.timezone), None)


@registered
async def new_cancel(update: Update, context: BotContext) -> None:
    """Stop creating."""
    query, member = update.callback_query, context.member
    if query is None or member is None or cd.pressed(update, NewCancel) is None:
        return
    await context.services.flows.clear(member.user_id)
    await query.answer()
    await _reply(update, context.translator.gettext("Cancelled."), None)


# --- reminder schedule (offsets): editing a deadline, or a step of /tenggat_baru --------------


def _offsets_flow(context: BotContext, revision: int) -> Flow | None:
    flow = context.flow
    if (
        flow is None
        or flow.name not in (NEW_FLOW, EDIT_FLOW)
        or flow.step != OFFSETS
        or flow.revision != revision
    ):
        return None
    return flow


async def _show_offsets(update: Update, context: BotContext, flow: Flow, *, new: bool) -> None:
    _ = context.translator
    chosen, extra = list(flow.data["chosen"]), list(flow.data.get("extra", []))
    text = render.offsets_editor(_, flow.data["title"], chosen)
    markup = render.offsets_keyboard(_, chosen, extra, flow.revision)
    if new and update.effective_message is not None:
        await update.effective_message.reply_html(text, reply_markup=markup)
    else:
        await _reply(update, text, markup)


async def _back_to_confirm(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    """/tenggat_baru: leave the reminder step for the confirmation, with `data["offsets"]`."""
    member = context.member
    assert member is not None
    data = {k: v for k, v in data.items() if k not in ("chosen", "extra")}
    flow = await context.services.flows.put(member.user_id, NEW_FLOW, "confirm", data)
    await _reply(
        update,
        _confirm_text(context, flow),
        render.confirm_keyboard(context.translator, flow.revision),
    )


async def _save_offsets(
    update: Update, context: BotContext, flow: Flow, offsets: tuple[int, ...]
) -> None:
    """Store the chosen days (editing) or take them into the new deadline (/tenggat_baru).

    Raises:
        InvalidInput: the days cannot be used; the caller words the reason.
    """
    member, query = context.member, update.callback_query
    assert member is not None
    _ = context.translator
    if flow.name == NEW_FLOW:
        chosen = check_offsets(offsets)
        if query is not None:
            await query.answer()
        await _back_to_confirm(update, context, {**flow.data, "offsets": list(chosen)})
        return
    try:
        info = await context.services.reminders.edit_offsets(
            member, int(flow.data["deadline_id"]), offsets
        )
    except NotAllowed:
        await context.services.flows.clear(member.user_id)
        await refuse(update, context)
        return
    except NotFound:
        await context.services.flows.clear(member.user_id)
        gone = _.gettext("This deadline can no longer be changed.")
        if query is not None:
            await expired(update, context, gone)
        elif update.effective_message is not None:
            await update.effective_message.reply_html(gone)
        return
    await context.services.flows.clear(member.user_id)
    if query is not None:
        await query.answer(_.gettext("Saved."))
    await _reply(update, render.offsets_saved(_, info.title, info.offsets), None)


@registered
async def offsets_open(update: Update, context: BotContext) -> None:
    """ "🔔 Ubah jadwal pengingat": the deadline's reminder days as toggle buttons."""
    query, payload = update.callback_query, cd.pressed(update, DeadlineOffsets)
    member = context.member
    if query is None or payload is None or member is None:
        return
    info = await context.services.reminders.editable(member, payload.deadline_id)
    data = {
        "deadline_id": info.id,
        "title": info.title,
        "chosen": list(info.offsets),
        "extra": list(info.offsets),  # days outside the usual buttons stay toggleable
    }
    flow = await context.services.flows.put(member.user_id, EDIT_FLOW, OFFSETS, data)
    await query.answer()
    await _show_offsets(update, context, flow, new=True)


@registered
async def new_offsets(update: Update, context: BotContext) -> None:
    """/tenggat_baru: change the reminder days before saving (the default is preselected)."""
    pressed = await _press(update, context, NewOffsets, _step("confirm"))
    if pressed is None:
        return
    query, _data, member, flow = pressed
    chosen = list(flow.data.get("offsets", DEFAULT_OFFSETS))
    flow = await context.services.flows.put(
        member.user_id, NEW_FLOW, OFFSETS, {**flow.data, "chosen": chosen}
    )
    await query.answer()
    await _show_offsets(update, context, flow, new=False)


@registered
async def offset_toggle(update: Update, context: BotContext) -> None:
    """Add or remove one reminder day."""
    pressed = await _press(update, context, OffsetToggle, _offsets_flow)
    if pressed is None:
        return
    query, payload, member, flow = pressed
    if payload.days not in {*CHOICES, *flow.data.get("extra", [])}:
        await expired(update, context)
        return
    chosen = list(toggle(flow.data["chosen"], payload.days))
    flow = await context.services.flows.put(
        member.user_id, flow.name, OFFSETS, {**flow.data, "chosen": chosen}
    )
    await query.answer()
    await _show_offsets(update, context, flow, new=False)


@registered
async def offset_save(update: Update, context: BotContext) -> None:
    """Save the chosen reminder days."""
    pressed = await _press(update, context, OffsetSave, _offsets_flow)
    if pressed is None:
        return
    query, _data, _member, flow = pressed
    try:
        await _save_offsets(update, context, flow, tuple(flow.data["chosen"]))
    except InvalidInput as exc:
        await query.answer(render.offsets_reason(context.translator, exc.reason), show_alert=True)


@registered
async def offset_cancel(update: Update, context: BotContext) -> None:
    """Leave the reminder days as they were."""
    pressed = await _press(update, context, OffsetCancel, _offsets_flow)
    if pressed is None:
        return
    query, _data, member, flow = pressed
    await query.answer()
    if flow.name == NEW_FLOW:
        await _back_to_confirm(update, context, flow.data)
        return
    await context.services.flows.clear(member.user_id)
    await _reply(update, context.translator.gettext("Cancelled."), None)


async def offsets_typed(update: Update, context: BotContext) -> None:
    """Reminder days typed instead of toggled: "14 7 3 1 0", "H-7, H-1, hari H"."""
    message, flow = update.effective_message, context.flow
    if message is None or not message.text or flow is None:
        return
    _ = context.translator
    try:
        offsets = parse_offsets(message.text, keep=flow.data.get("extra", []))
        await _save_offsets(update, context, flow, offsets)
    except InvalidInput as exc:
        await message.reply_html(render.offsets_error(_, exc.reason))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/tenggat, /tenggat_baru, reminder buttons; typed text of both flows."""
    app.add_handler(CommandHandler(commands.DEADLINES, deadline_list.list_deadlines))
    app.add_handler(CommandHandler(commands.NEW_DEADLINE, new))
    for handler, kind in (
        (done, ReminderDone),
        (snooze, ReminderSnooze),
        (guide, ReminderGuide),
        (edit, DeadlineEdit),
        (archive, DeadlineArchive),
        (archive_confirm, DeadlineArchiveConfirm),
        (new_topic, NewTopic),
        (new_scope, NewScope),
        (new_unit, NewUnit),
        (new_units_done, NewUnitsDone),
        (new_confirm, NewConfirm),
        (new_cancel, NewCancel),
        (offsets_open, DeadlineOffsets),
        (new_offsets, NewOffsets),
        (offset_toggle, OffsetToggle),
        (offset_save, OffsetSave),
        (offset_cancel, OffsetCancel),
    ):
        app.add_handler(CallbackQueryHandler(handler, pattern=cd.pattern_for(kind)))
    deadline_due.register(app)
    deadline_list.register(app)
    on_flow_text(app, NEW_FLOW, new_text)
    on_flow_text(app, EDIT_FLOW, edit_text)
