"""Wording and keyboards of /siaran (pure): audience choice, preview, summary, the message."""

from __future__ import annotations

import dataclasses
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.units import Member
from bot.handlers.callback_data import callback
from bot.handlers.keyboards import button
from bot.handlers.render import role_name, unit_type_name
from bot.i18n import Translator
from bot.services.broadcasts import BroadcastPreview, BroadcastSummary


@callback("sr1.a")
@dataclasses.dataclass(frozen=True, slots=True)
class ToAll:
    """Address the draft to everyone."""

    broadcast_id: int


@callback("sr1.y")
@dataclasses.dataclass(frozen=True, slots=True)
class ToType:
    """Address the draft to one unit type."""

    broadcast_id: int
    unit_type: str


@callback("sr1.u")
@dataclasses.dataclass(frozen=True, slots=True)
class ToUnits:
    """Show the unit list to pick units from."""

    broadcast_id: int


@callback("sr1.t")
@dataclasses.dataclass(frozen=True, slots=True)
class ToggleUnit:
    """Add or remove one unit."""

    broadcast_id: int
    unit_id: int


@callback("sr1.p")
@dataclasses.dataclass(frozen=True, slots=True)
class ShowPreview:
    """Show the preview with the recipient count."""

    broadcast_id: int


@callback("sr1.b")
@dataclasses.dataclass(frozen=True, slots=True)
class ChangeAudience:
    """Back to the audience choice."""

    broadcast_id: int


@callback("sr1.k")
@dataclasses.dataclass(frozen=True, slots=True)
class Send:
    """The explicit confirm: queue the broadcast."""

    broadcast_id: int


@callback("sr1.x")
@dataclasses.dataclass(frozen=True, slots=True)
class Cancel:
    """Drop the draft."""

    broadcast_id: int


def ask_text(_: Translator) -> str:
    """The first step."""
    return _.gettext(
        "📢 <b>Broadcast</b>\nType the message to send. It is sent as plain text. "
        "Type /batal to stop."
    )


def audience_label(_: Translator, preview: BroadcastPreview) -> str:
    """Who the draft is addressed to."""
    audience = preview.audience
    if audience.get("all"):
        return _.gettext("everyone")
    if "types" in audience:
        kinds = ", ".join(unit_type_name(_, t) for t in audience["types"])
        return _.gettext("units of type {type}").format(type=escape(kinds))
    names = [u.name for u in preview.units if u.id in set(audience.get("unit_ids", []))]
    if not names:
        return _.gettext("no unit chosen yet")
    return escape(", ".join(names))


def audience_text(_: Translator, preview: BroadcastPreview) -> str:
    """The audience step."""
    return _.gettext("📢 <b>Broadcast</b>\nWho should receive it? Now: {audience}.").format(
        audience=audience_label(_, preview)
    )


def audience_keyboard(_: Translator, preview: BroadcastPreview) -> InlineKeyboardMarkup:
    """Everyone / one unit type / chosen units / cancel."""
    bid = preview.broadcast_id
    rows = [[button(_.gettext("Everyone"), ToAll(bid))]]
    rows += [
        [button(_.gettext("Type: {type}").format(type=unit_type_name(_, t)), ToType(bid, t))]
        for t in preview.types
    ]
    rows.append([button(_.gettext("Choose units…"), ToUnits(bid))])
    rows.append([button(_.gettext("Cancel"), Cancel(bid))])
    return InlineKeyboardMarkup(rows)


def units_keyboard(_: Translator, preview: BroadcastPreview) -> InlineKeyboardMarkup:
    """One toggle per unit (✅ = chosen), then preview and back."""
    bid = preview.broadcast_id
    chosen = set(preview.audience.get("unit_ids", []))
    rows: list[list[InlineKeyboardButton]] = [
        [button(("✅ " if u.id in chosen else "▫️ ") + u.name, ToggleUnit(bid, u.id))]
        for u in preview.units
    ]
    rows.append(
        [
            button(_.gettext("Back"), ChangeAudience(bid)),
            button(_.gettext("Preview"), ShowPreview(bid)),
        ]
    )
    return InlineKeyboardMarkup(rows)


def preview_text(_: Translator, preview: BroadcastPreview, signature: str = "") -> str:
    """The message exactly as recipients will read it (signed), and how many will get it."""
    signed = f"{preview.text}\n\n— {signature}" if signature else preview.text
    return "\n\n".join(
        [
            _.gettext("📢 <b>Preview</b>"),
            announcement(_, signed),
            _.ngettext(
                "To: {audience} — {n} person.", "To: {audience} — {n} people.", preview.recipients
            ).format(audience=audience_label(_, preview), n=preview.recipients),
            _.gettext("Press <b>Send</b> to send it now."),
        ]
    )


def preview_keyboard(_: Translator, preview: BroadcastPreview) -> InlineKeyboardMarkup:
    """Send / change audience / cancel."""
    bid = preview.broadcast_id
    return InlineKeyboardMarkup(
        [
            [button(_.gettext("✅ Send"), Send(bid))],
            [
                button(_.gettext("Change recipients"), ChangeAudience(bid)),
                button(_.gettext("Cancel"), Cancel(bid)),
            ],
        ]
    )


def queued(_: Translator, preview: BroadcastPreview) -> str:
    """After "Send"."""
    return _.ngettext(
        "📢 Sending to {n} person. I will report when it is done.",
        "📢 Sending to {n} people. I will report when it is done.",
        preview.recipients,
    ).format(n=preview.recipients)


def signature(_: Translator, member: Member, unit: str | None) -> str:
    """Who sends the announcement, as signed under it: name, role and unit."""
    role = role_name(_, member.role.value)
    if unit:
        return _.gettext("{name}, {role}, {unit}").format(
            name=member.display_name, role=role, unit=unit
        )
    return _.gettext("{name}, {role}").format(name=member.display_name, role=role)


def announcement(_: Translator, text: str) -> str:
    """What recipients get: a header and the admin's text, escaped (never HTML)."""
    return _.gettext("📢 <b>Announcement</b>") + "\n\n" + escape(text)


def summary(_: Translator, result: BroadcastSummary) -> str:
    """The delivery report to the admin, naming who did not get it and why."""
    lines = [_counts(_, result)]
    reasons = {
        "blocked": _.gettext("blocked the bot"),
        "unknown": _.gettext("delivery uncertain (network problem)"),
    }
    for name, unit, status, error in result.problems:
        who = escape(name) + (f" ({escape(unit)})" if unit else "")
        why = reasons.get(status) or _.gettext("Telegram refused: {error}").format(
            error=escape(error or "?")
        )
        lines.append(f"• {who}: {why}")
    hidden = result.blocked + result.failed - len(result.problems)
    if result.problems and hidden > 0:
        lines.append(_.ngettext("… and {n} more.", "… and {n} more.", hidden).format(n=hidden))
    return "\n".join(lines)


def _counts(_: Translator, result: BroadcastSummary) -> str:
    return _.gettext(
        "📢 Broadcast finished: {sent} sent, {blocked} blocked the bot, "
        "{failed} failed, {skipped} skipped (deactivated meanwhile), "
        "of {total}."
    ).format(
        sent=result.sent,
        blocked=result.blocked,
        failed=result.failed,
        skipped=result.skipped,
        total=result.recipients,
    )
