"""Inline keyboards, built from domain data; button payloads come from callback_data."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.units import Unit
from bot.handlers import callback_data as cd
from bot.i18n import Translator

UNITS_PER_PAGE = 8


def button(text: str, payload: object) -> InlineKeyboardButton:
    """One inline button carrying an encoded payload."""
    return InlineKeyboardButton(text, callback_data=cd.encode(payload))


def short(text: str, limit: int = 40) -> str:
    """`text` on one line, cut at a word boundary with "…" when longer than `limit`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    # Go back to the last word boundary unless the cut already is one (a space follows it);
    # a single word longer than half the limit is cut inside.
    if text[len(cut)] != " " and space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-–/(") + "…"


def unit_page(_: Translator, units: list[Unit], page: int, pages: int) -> InlineKeyboardMarkup:
    """One unit per row, then ‹ › page buttons when there is more than one page."""
    rows = [[button(unit.name, cd.RegisterPick(unit.id))] for unit in units]
    nav = []
    if page > 0:
        nav.append(button("‹ " + _.pgettext("pager", "Previous"), cd.RegisterPage(page - 1)))
    if page < pages - 1:
        nav.append(button(_.pgettext("pager", "Next") + " ›", cd.RegisterPage(page + 1)))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def confirm_unit(_: Translator, unit: Unit, revision: int) -> InlineKeyboardMarkup:
    """Yes / pick again."""
    return InlineKeyboardMarkup(
        [
            [
                button(
                    "✅ " + _.gettext("Yes, that's right"), cd.RegisterConfirm(unit.id, revision)
                ),
                button("↩️ " + _.gettext("Pick again"), cd.RegisterBack(revision)),
            ]
        ]
    )


def change_unit(_: Translator) -> InlineKeyboardMarkup:
    """Offer to change unit."""
    return InlineKeyboardMarkup([[button(_.gettext("Change unit"), cd.RegisterChange())]])


def settings(_: Translator) -> InlineKeyboardMarkup:
    """Language and zone choices."""
    return InlineKeyboardMarkup(
        [
            [
                button("🇮🇩 Bahasa Indonesia", cd.SettingsLanguage("id")),
                button("🇬🇧 English", cd.SettingsLanguage("en")),
            ],
            [
                button("WIB", cd.SettingsZone("WIB")),
                button("WITA", cd.SettingsZone("WITA")),
                button("WIT", cd.SettingsZone("WIT")),
            ],
        ]
    )
