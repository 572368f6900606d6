"""Pure rendering of reminders, escalations, /tenggat and /tenggat_baru (HTML, escaped)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.knowledge import Topic
from bot.domain.offsets import CHOICES, MAX_CHAT_OFFSET
from bot.domain.units import Unit
from bot.handlers import keyboards
from bot.handlers.reminder_evidence_data import ReminderEvidence
from bot.handlers.reminders_data import (
    DeadlineArchiveConfirm,
    DeadlineOffsets,
    DueCancel,
    DueSave,
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
    ReminderHour,
    ReminderMute,
    ReminderSnooze,
    ReminderWeekends,
)
from bot.handlers.render import unit_type_name
from bot.i18n import Translator
from bot.services.reminders import (
    REMINDER_HOURS,
    DeadlineStatus,
    EscalationItem,
    OutgoingMessage,
    ReminderItem,
    ReminderPrefs,
)

button, short = keyboards.button, keyboards.short


def when(_: Translator, days: int) -> str:
    """Days left in words: "hari ini", "besok", "3 hari lagi", "lewat 2 hari"."""
    if days == 0:
        return _.gettext("today")
    if days == 1:
        return _.gettext("tomorrow")
    if days < 0:
        return _.ngettext("{n} day overdue", "{n} days overdue", -days).format(n=-days)
    return _.ngettext("in {n} day", "in {n} days", days).format(n=days)


def _due(_: Translator, due_at: datetime, zone: str, days: int) -> str:
    return _.gettext("Due {date} ({when})").format(
        date=_.datetime(due_at, zone), when=when(_, days)
    )


def _reminder_lines(_: Translator, message: OutgoingMessage) -> list[str]:
    items = message.reminders
    late = any(item.late for item in items)
    title = _.gettext("⏰ <b>Evidence reminder</b>")
    if late:
        title += " " + _.gettext("(late)")
    lines = [title, ""]
    for number, item in enumerate(items, start=1):
        prefix = f"{number}. " if len(items) > 1 else ""
        lines.append(f"{prefix}<b>{escape(item.title)}</b>")
        lines.append(_due(_, item.due_at, message.timezone, item.days_left))
    lines += [
        "",
        _.gettext(
            "Is your unit's evidence ready? Press ✅ once it is, and I will stop "
            "reminding your unit."
        ),
    ]
    return lines


def _escalation_lines(_: Translator, message: OutgoingMessage, item: EscalationItem) -> list[str]:
    pending = len(item.pending_units)
    header = _.gettext("📋 <b>Units not ready yet</b>")
    if item.late:
        header += " " + _.gettext("(late)")
    lines = [
        header,
        f"<b>{escape(item.title)}</b>",
        _due(_, item.due_at, message.timezone, item.days_left),
        _.ngettext(
            "{pending} of {total} unit is not ready:",
            "{pending} of {total} units are not ready:",
            item.total_units,
        ).format(pending=pending, total=item.total_units),
    ]
    lines += [f"• {escape(name)}" for name in item.pending_units[:60]]
    if pending > 60:
        lines.append(_.gettext("… and {n} more").format(n=pending - 60))
    return lines


def _announcement_lines(_: Translator, message: OutgoingMessage) -> list[str]:
    items = message.announcements
    title = _.ngettext(
        "📅 <b>New or changed deadline</b>", "📅 <b>New or changed deadlines</b>", len(items)
    )
    lines = [title, ""]
    for number, item in enumerate(items, start=1):
        prefix = f"{number}. " if len(items) > 1 else ""
        state = _.gettext("date changed") if item.moved else _.gettext("new")
        lines.append(f"{prefix}<b>{escape(item.title)}</b> ({state})")
        lines.append(_due(_, item.due_at, message.timezone, item.days_left))
    lines += ["", _.gettext("All your unit's deadlines: /tenggat")]
    return lines


def reminder_text(_: Translator, message: OutgoingMessage) -> str:
    """One merged message: new or moved deadlines, due reminders, then late-unit summaries."""
    blocks: list[list[str]] = []
    if message.announcements:
        blocks.append(_announcement_lines(_, message))
    if message.reminders:
        blocks.append(_reminder_lines(_, message))
    blocks += [_escalation_lines(_, message, item) for item in message.escalations]
    text = "\n\n".join("\n".join(block) for block in blocks)
    return text[:4000]


def reminder_keyboard(_: Translator, message: OutgoingMessage) -> InlineKeyboardMarkup | None:
    """✅ Sudah siap / 📎 Kirim bukti / 📘 Panduan per deadline, one ⏰ Ingatkan besok."""
    items: tuple[ReminderItem, ...] = message.reminders
    if not items:
        return None
    rows = []
    for number, item in enumerate(items, start=1):
        prefix = f"{number}. " if len(items) > 1 else ""
        row = [
            button("✅ " + prefix + _.gettext("Ready"), ReminderDone(item.deadline_id)),
            button(
                "📎 " + prefix + _.gettext("Send evidence"), ReminderEvidence(item.deadline_id)
            ),
        ]
        if item.has_guide:
            row.append(
                button("📘 " + prefix + _.gettext("Guide"), ReminderGuide(item.deadline_id))
            )
        rows.append(row)
    rows.append(
        [button("⏰ " + _.gettext("Remind me tomorrow"), ReminderSnooze(message.outbox_id))]
    )
    return InlineKeyboardMarkup(rows)


def done_note(_: Translator, title: str, by: str, at: object, zone: str, already: bool) -> str:
    """After "Sudah siap"."""
    if already:
        text = _.gettext("Already marked ready by {name} on {date}.")
    else:
        text = _.gettext(
            "Noted: <b>{title}</b> is ready for your unit (by {name}, {date}). "
            "Your unit will not be reminded about it again."
        )
    return text.format(title=escape(title), name=escape(by), date=_.datetime(at, zone))  # type: ignore[arg-type]


def snooze_note(_: Translator, until: datetime, zone: str) -> str:
    """After "Ingatkan besok"."""
    return _.gettext("All right, I will remind you again on {date}.").format(
        date=_.datetime(until, zone)
    )


def guide_text(_: Translator, title: str, topic: Topic | None) -> str:
    """ "Panduan": the linked topic's title, short answer and source."""
    if topic is None:
        return _.gettext("There is no guide linked to <b>{title}</b> yet.").format(
            title=escape(title)
        )
    lines = [f"📘 <b>{escape(topic.title)}</b>", "", escape(topic.short)]
    if topic.sources:
        lines += ["", _.gettext("Source: {source}").format(source=escape(topic.sources[0]))]
    return "\n".join(lines)


# --- /tenggat --------------------------------------------------------------------------------


def deadline_list(
    _: Translator,
    statuses: list[DeadlineStatus],
    zone: str,
    *,
    staff: bool,
    evidence: Mapping[int, int] | None = None,
    start: int = 1,
) -> str:
    """/tenggat: upcoming deadlines, days left and state (and files sent, by deadline id)."""
    if not statuses:
        return _.gettext("There are no upcoming deadlines for your unit.")
    lines = [_.gettext("<b>Evidence deadlines</b>")]
    for number, status in enumerate(statuses, start=start):
        deadline = status.deadline
        lines += [
            "",
            f"{number}. <b>{escape(deadline.title)}</b>",
            _due(_, deadline.due_at, zone, status.days_left),
        ]
        if status.done_at is not None:
            lines.append(
                _.gettext("✅ Ready (marked by {name}, {date})").format(
                    name=escape(status.done_by or "?"), date=_.datetime(status.done_at, zone)
                )
            )
        elif status.total_units and not staff:
            lines.append(_.gettext("⏳ Not ready yet"))
        files = (evidence or {}).get(deadline.id, 0)
        if files:
            lines.append(
                _.ngettext("📎 {n} evidence file", "📎 {n} evidence files", files).format(n=files)
            )
        if staff and status.total_units:
            lines.append(
                _.ngettext(
                    "{done} of {total} unit ready",
                    "{done} of {total} units ready",
                    status.total_units,
                ).format(done=status.done_units, total=status.total_units)
            )
    return "\n".join(lines)


def archive_confirm_keyboard(_: Translator, deadline_id: int) -> InlineKeyboardMarkup:
    """Confirm archiving."""
    return InlineKeyboardMarkup(
        [[button("🗄 " + _.gettext("Yes, archive"), DeadlineArchiveConfirm(deadline_id))]]
    )


def date_help(_: Translator, examples: tuple[str, ...]) -> str:
    """How to type a date, with examples that always parse (full dates first, from today)."""
    shown = ", ".join(f"<i>{escape(e)}</i>" for e in examples[:4])
    return _.gettext("Type the due date, for example: {examples}.").format(examples=shown)


def date_error(_: Translator, reason: str, examples: tuple[str, ...]) -> str:
    """Why a typed date was refused, and an example."""
    reasons = {
        "past": _.gettext("That date is already past."),
        "too_far": _.gettext("That date is too far ahead."),
        "invalid_date": _.gettext("That date does not exist."),
        "invalid_time": _.gettext("That time is not valid."),
        "too_long": _.gettext("That is too long for a date."),
    }
    first = reasons.get(reason, _.gettext("I could not understand that date."))
    return first + "\n" + date_help(_, examples)


# --- /tenggat_baru ---------------------------------------------------------------------------


def ask_title(_: Translator) -> str:
    """Step 1."""
    return _.gettext(
        "<b>New deadline</b>\nWhat must be ready? Type a short title, e.g. "
        "<i>Maklumat pelayanan dipajang</i>. (/batal to stop)"
    )


def ask_topic(_: Translator) -> str:
    """Step 2."""
    return _.gettext("Which guide topic does it relate to? Pick one, or skip.")


def topic_keyboard(_: Translator, topics: list[Topic], revision: int) -> InlineKeyboardMarkup:
    """Topic buttons and skip."""
    rows = [
        [button(short(topic.title, 60), NewTopic(revision, index))]
        for index, topic in enumerate(topics[:8])
    ]
    rows.append(
        [
            button(_.gettext("Skip"), NewTopic(revision, -1)),
            button(_.gettext("Cancel"), NewCancel(revision)),
        ]
    )
    return InlineKeyboardMarkup(rows)


def ask_scope(_: Translator) -> str:
    """Step 3."""
    return _.gettext("Which units must deliver?")


def scope_keyboard(_: Translator, types: list[str], revision: int) -> InlineKeyboardMarkup:
    """All units, a unit type, or chosen units."""
    rows = [[button(_.gettext("All units"), NewScope(revision, "all"))]]
    rows += [
        [
            button(
                _.gettext("All of type {type}").format(type=unit_type_name(_, t)),
                NewScope(revision, f"t-{t}"),
            )
        ]
        for t in types[:8]
    ]
    rows.append([button(_.gettext("Choose units"), NewScope(revision, "pick"))])
    return InlineKeyboardMarkup(rows)


def ask_units(_: Translator, count: int) -> str:
    """Step 3b."""
    return _.ngettext(
        "Tap units to choose them ({count} chosen), then press Done.",
        "Tap units to choose them ({count} chosen), then press Done.",
        count,
    ).format(count=count)


def units_keyboard(
    _: Translator, units: list[Unit], chosen: set[int], revision: int
) -> InlineKeyboardMarkup:
    """Toggle buttons, then Done."""
    rows = [
        [button(("☑️ " if u.id in chosen else "▫️ ") + short(u.name, 50), NewUnit(revision, u.id))]
        for u in units[:40]
    ]
    rows.append([button("✅ " + _.gettext("Done"), NewUnitsDone(revision))])
    return InlineKeyboardMarkup(rows)


def confirm_new(
    _: Translator,
    *,
    title: str,
    topic: str | None,
    scope: str,
    due: object,
    zone: str,
    offsets: tuple[int, ...],
) -> str:
    """Step 5: show everything back, the date in Indonesian."""
    lines = [
        _.gettext("<b>Save this deadline?</b>"),
        _.gettext("Title: {title}").format(title=escape(title)),
        _.gettext("Guide topic: {topic}").format(topic=escape(topic or "—")),
        _.gettext("Units: {units}").format(units=escape(scope)),
        _.gettext("Due: {date}").format(date=_.datetime(due, zone)),  # type: ignore[arg-type]
        _.gettext("Reminders: {days}, at each person's reminder hour.").format(
            days=offsets_text(_, offsets)
        ),
    ]
    return "\n".join(lines)


def confirm_keyboard(_: Translator, revision: int) -> InlineKeyboardMarkup:
    """Save / cancel, and a way to change the reminder schedule first."""
    return InlineKeyboardMarkup(
        [
            [
                button("✅ " + _.gettext("Save"), NewConfirm(revision)),
                button(_.gettext("Cancel"), NewCancel(revision)),
            ],
            [button("🔔 " + _.gettext("Change reminder schedule"), NewOffsets(revision))],
        ]
    )


def confirm_due(_: Translator, title: str, old: datetime, new: datetime, zone: str) -> str:
    """Editing: the new due date shown back (in the editor's zone) before it is saved."""
    return "\n".join(
        [
            _.gettext("<b>Move this deadline?</b>"),
            f"<b>{escape(title)}</b>",
            _.gettext("Now due: {date}").format(date=_.datetime(old, zone)),
            _.gettext("New due date: {date}").format(date=_.datetime(new, zone)),
        ]
    )


def confirm_due_keyboard(_: Translator, revision: int) -> InlineKeyboardMarkup:
    """Save / cancel the moved date."""
    return InlineKeyboardMarkup(
        [
            [
                button("✅ " + _.gettext("Save"), DueSave(revision)),
                button(_.gettext("Cancel"), DueCancel(revision)),
            ]
        ]
    )


def saved(_: Translator, title: str, due: object, zone: str) -> str:
    """After saving."""
    return _.gettext(
        "Saved: <b>{title}</b>, due {date}. Reminders will go out automatically."
    ).format(title=escape(title), date=_.datetime(due, zone))  # type: ignore[arg-type]


# --- reminder schedule (offsets) -----------------------------------------------------------


def offset_label(_: Translator, days: int) -> str:
    """One offset the Indonesian way: "H-7", or "hari H" for the due day."""
    if days == 0:
        # TRANSLATORS: the due day itself as a reminder day; Indonesian "hari H".
        return _.pgettext("offset", "due day")
    # TRANSLATORS: a reminder {days} days before the due date; Indonesian "H-{days}".
    return _.gettext("D-{days}").format(days=days)


def offsets_text(_: Translator, offsets: tuple[int, ...] | list[int]) -> str:
    """All offsets, earliest first: "H-14, H-7, H-3, H-1, hari H"."""
    return ", ".join(offset_label(_, days) for days in sorted(offsets, reverse=True))


def edit_menu(
    _: Translator,
    title: str,
    due: datetime,
    zone: str,
    offsets: tuple[int, ...],
    examples: tuple[str, ...],
) -> str:
    """ "Ubah": the deadline as it is, then how to move it (typed) or change its reminders."""
    lines = [
        f"<b>{escape(title)}</b>",
        _.gettext("Due: {date}").format(date=_.datetime(due, zone)),
        _.gettext("Reminders: {days}").format(days=offsets_text(_, offsets)),
        "",
        date_help(_, examples),
        _.gettext("To change the days reminders go out, press the button below."),
    ]
    return "\n".join(lines)


def edit_menu_keyboard(_: Translator, deadline_id: int) -> InlineKeyboardMarkup:
    """The button that opens the reminder schedule."""
    return InlineKeyboardMarkup(
        [[button("🔔 " + _.gettext("Change reminder schedule"), DeadlineOffsets(deadline_id))]]
    )


def offsets_editor(_: Translator, title: str, chosen: list[int]) -> str:
    """The reminder schedule being edited: what is chosen, and how to change it."""
    now = offsets_text(_, chosen) if chosen else "—"
    return "\n".join(
        [
            _.gettext("<b>Reminder schedule:</b> {title}").format(title=escape(title)),
            _.gettext("Chosen: {days}").format(days=now),
            "",
            _.gettext(
                "Tap the days to choose them (✓ = chosen), then press Save. Or type them, "
                "for example <i>14 7 3 1 0</i> or <i>H-7, H-1, hari H</i>."
            ),
            _.gettext(
                "Each person is reminded at their own reminder hour, in their own time zone."
            ),
        ]
    )


def offsets_keyboard(
    _: Translator, chosen: list[int], extra: list[int], revision: int
) -> InlineKeyboardMarkup:
    """Toggle buttons (H-30 ... hari H, plus any other day the deadline has), Save, Cancel."""
    days = sorted(set(CHOICES) | set(extra), reverse=True)
    toggles = [
        button(("✓ " if d in chosen else "") + offset_label(_, d), OffsetToggle(revision, d))
        for d in days
    ]
    rows = [toggles[i : i + 4] for i in range(0, len(toggles), 4)]
    rows.append(
        [
            button("✅ " + _.gettext("Save"), OffsetSave(revision)),
            button(_.gettext("Cancel"), OffsetCancel(revision)),
        ]
    )
    return InlineKeyboardMarkup(rows)


def offsets_reason(_: Translator, reason: str) -> str:
    """Why reminder days were refused, in one plain sentence (also fits a button alert)."""
    reasons = {
        "empty": _.gettext("Choose at least one reminder day."),
        "out_of_range": _.gettext(
            "A reminder day must be between 0 (the due day) and {max} days before the due date."
        ).format(max=MAX_CHAT_OFFSET),
        "duplicate": _.gettext("Each day may be given only once."),
    }
    return reasons.get(reason, _.gettext("I could not read those reminder days."))


def offsets_error(_: Translator, reason: str) -> str:
    """Why typed reminder days were refused, and how to type them."""
    return (
        offsets_reason(_, reason)
        + "\n"
        + _.gettext(
            "Type the days before the due date, for example <i>14 7 3 1 0</i> or "
            "<i>H-7, H-1, hari H</i>."
        )
    )


def offsets_saved(_: Translator, title: str, offsets: tuple[int, ...]) -> str:
    """After saving a deadline's reminder schedule."""
    return _.gettext("Reminder schedule of <b>{title}</b> saved: {days}.").format(
        title=escape(title), days=offsets_text(_, offsets)
    )


# --- /pengaturan ------------------------------------------------------------------------------


def prefs_text(_: Translator, prefs: ReminderPrefs) -> str:
    """The reminder part of /pengaturan."""
    yes, no = _.gettext("on"), _.gettext("off")
    return _.gettext(
        "Reminder hour: {hour}\nQuiet weekends: {weekends}\nReminders muted: {muted}"
    ).format(
        hour=f"{prefs.reminder_hour:02d}.00",
        weekends=yes if prefs.quiet_weekends else no,
        muted=yes if prefs.muted else no,
    )


def prefs_rows(_: Translator, prefs: ReminderPrefs) -> list[list[InlineKeyboardButton]]:
    """Rows of buttons for reminder hour, quiet weekends and mute."""
    hours = [
        button(("• " if h == prefs.reminder_hour else "") + f"{h:02d}.00", ReminderHour(h))
        for h in REMINDER_HOURS
    ]
    weekends = (
        _.gettext("Quiet weekends: on")
        if prefs.quiet_weekends
        else _.gettext("Quiet weekends: off")
    )
    muted = _.gettext("Unmute reminders") if prefs.muted else _.gettext("Mute reminders")
    return [
        hours[:4],
        hours[4:],
        [
            button("🗓 " + weekends, ReminderWeekends(not prefs.quiet_weekends)),
            button(("🔔 " if prefs.muted else "🔕 ") + muted, ReminderMute(not prefs.muted)),
        ],
    ]
