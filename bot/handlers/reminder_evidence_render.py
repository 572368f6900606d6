"""Pure rendering of evidence sent from a reminder (HTML, escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardMarkup

from bot.domain.evidence import MAX_BYTES, DeadlineTarget, Evidence
from bot.handlers import admin_render
from bot.handlers.keyboards import button, short
from bot.handlers.reminder_evidence_data import ReminderEvidence, ReminderEvidencePick
from bot.handlers.reminders_data import ReminderDone
from bot.i18n import Translator


def ask_for_file(_: Translator, title: str) -> str:
    """After "📎 Kirim bukti": send the file."""
    return (
        _.gettext(
            "Send the evidence for the deadline <b>{title}</b> now, as a photo or a document "
            "(PDF, Word, Excel, PowerPoint, ODT/ODS, JPG, PNG or WEBP; at most {mb} MB)."
        ).format(title=escape(title), mb=MAX_BYTES // (1024 * 1024))
        + "\n\n"
        + _.gettext("Type /batal to stop.")
    )


def stored(
    _: Translator, item: Evidence, target: DeadlineTarget, indicator: str | None
) -> tuple[str, InlineKeyboardMarkup]:
    """The file is saved for the deadline; offer another file and "Sudah siap"."""
    lines = [
        _.gettext("📎 Saved: {name} ({size}) as evidence for the deadline <b>{title}</b>.").format(
            name=escape(admin_render.file_label(_, item)),
            size=admin_render.file_size(_, item.size),
            title=escape(target.title),
        )
    ]
    if indicator is not None:
        lines.append(
            _.gettext(
                "It is also listed under the indicator <b>{indicator}</b> in /bukti."
            ).format(indicator=escape(indicator))
        )
    lines.append(_.gettext("Once all the evidence is complete, press ✅ Ready."))
    markup = InlineKeyboardMarkup(
        [
            [
                button("✅ " + _.gettext("Ready"), ReminderDone(target.deadline_id)),
                button("📎 " + _.gettext("Another file"), ReminderEvidence(target.deadline_id)),
            ]
        ]
    )
    return "\n".join(lines), markup


def ask_which(
    _: Translator, targets: Sequence[DeadlineTarget], revision: int
) -> tuple[str, InlineKeyboardMarkup]:
    """A reply to a reminder that merged several deadlines: which one is the file for?"""
    rows = [
        [button(f"{n}. {short(t.title, 50)}", ReminderEvidencePick(revision, t.deadline_id))]
        for n, t in enumerate(targets, start=1)
    ]
    text = _.gettext("This reminder covers several deadlines. Which one is this file for?")
    lines = [text, ""] + [f"{n}. <b>{escape(t.title)}</b>" for n, t in enumerate(targets, 1)]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def pick_first(_: Translator) -> str:
    """Another file while the deadline question is open."""
    return _.gettext(
        "First pick the deadline for the previous file with the buttons above, or type /batal "
        "to stop."
    )


def not_a_reminder(_: Translator) -> str:
    """A file sent as a reply to a message that is not a reminder."""
    return _.gettext(
        "The message you replied to is not a reminder, so I do not know which deadline this "
        "file is for. Nothing was saved. Reply to a reminder with the file, press “📎 Send "
        "evidence” under a reminder, or use /bukti."
    )


def not_your_reminder(_: Translator) -> str:
    """A file sent as a reply to a reminder addressed to someone else."""
    return _.gettext(
        "That reminder was sent to someone else, so nothing was saved. Reply to one of your "
        "own reminders, or use /bukti."
    )


def closed(_: Translator) -> str:
    """The deadline is archived or no longer applies to the member's unit."""
    return _.gettext(
        "That deadline is no longer open for your unit, so nothing was saved. "
        "Use /bukti to file the evidence under an indicator."
    )
