"""Pure rendering: domain results + translator in, HTML text out (user text always escaped)."""

from __future__ import annotations

from html import escape

from bot.domain.units import Member, Role, Unit
from bot.handlers import commands
from bot.i18n import Translator

MAX_MESSAGE = 4096  # https://core.telegram.org/bots/api#sendmessage
SAFE_CHUNK = 3900  # leave room for a continuation mark and HTML entities


def split_message(text: str, limit: int = SAFE_CHUNK) -> list[str]:
    """Split text below Telegram's limit at paragraph, then line, then word boundaries.

    Never cuts inside an HTML entity or tag: split points are only at whitespace, and callers
    keep tags inside one paragraph.
    """
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = rest.rfind(separator, 0, limit)
            if cut > limit // 3:
                break
        if cut <= 0:
            cut = limit
            while (
                cut > 0 and "&" in rest[max(0, cut - 8) : cut] and ";" not in rest[cut - 8 : cut]
            ):
                cut -= 1
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def welcome_pick_unit(_: Translator, name: str) -> str:
    """First /start: greet and ask for the unit."""
    return _.gettext(
        "Hello, <b>{name}</b>! I am <b>Pendamping Kepatuhan</b>, your assistant for the "
        "Ombudsman RI compliance assessment.\n\nFirst, which service unit do you work in? "
        "Pick it below, or type part of its name to search."
    ).format(name=escape(name))


def unit_list(_: Translator, *, query: str | None, count: int, page: int, pages: int) -> str:
    """The header above the unit keyboard."""
    if query and count == 0:
        return _.gettext(
            "No unit matches <b>{query}</b>. Try another word, or pick from the full list."
        ).format(query=escape(query))
    if query:
        text = _.ngettext(
            "{count} unit matches <b>{query}</b>.", "{count} units match <b>{query}</b>.", count
        )
        header = text.format(count=count, query=escape(query))
    else:
        header = _.gettext("Pick your service unit (or type part of its name to search).")
    if pages > 1:
        header += "\n" + _.gettext("Page {page} of {pages}.").format(page=page + 1, pages=pages)
    return header


def confirm_unit(_: Translator, unit: Unit) -> str:
    """Ask to confirm the picked unit."""
    return _.gettext("You picked <b>{unit}</b>. Is that right?").format(unit=escape(unit.name))


def registered(_: Translator, unit: Unit) -> str:
    """Registration is done."""
    return _.gettext(
        "Done! You are registered at <b>{unit}</b>.\n\nAsk me anything about the assessment, "
        "or type /bantuan to see what I can do."
    ).format(unit=escape(unit.name))


def current_registration(_: Translator, member: Member, unit: Unit) -> str:
    """/start by a registered member: show where they are."""
    return _.gettext(
        "You are registered at <b>{unit}</b> as {role}.\n\nWant to change unit?"
    ).format(unit=escape(unit.name), role=role_name(_, member.role.value))


def role_name(_: Translator, role: str) -> str:
    """A role in the user's language."""
    names = {
        "member": _.pgettext("role", "member"),
        "coordinator": _.pgettext("role", "coordinator"),
        "admin": _.pgettext("role", "admin"),
    }
    return names.get(role, role)


def help_text(_: Translator, *, role: Role) -> str:
    """/bantuan: what the bot does and the commands the person's role allows."""
    lines = [
        _.gettext(
            "<b>Pendamping Kepatuhan</b> helps your unit prepare for the Ombudsman RI "
            "compliance assessment (Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik)."
        ),
        "",
        _.gettext("What you can do:"),
        _.gettext("• Type a question in your own words, e.g. <i>maklumat hrs ada apa aja?</i>"),
    ]
    lines += [
        f"/{name} — {_.gettext(description)}" for name, description in commands.menu_for(role)
    ]
    if role is Role.ADMIN:
        lines += ["", _.gettext("You are an admin of this bot.")]
    elif role is Role.COORDINATOR:
        lines += ["", _.gettext("You are the coordinator of your unit.")]
    lines += ["", _.gettext("Answers are guidance, not an official Ombudsman decision.")]
    return "\n".join(lines)


def settings_text(_: Translator, member: Member, zone_label: str) -> str:
    """/pengaturan: current settings."""
    language = "Bahasa Indonesia" if member.language == "id" else "English"
    return _.gettext(
        "<b>Settings</b>\nLanguage: {language}\nTime zone: {zone}\n\nChoose below to change."
    ).format(language=language, zone=escape(zone_label))


def unit_type_name(_: Translator, code: str) -> str:
    """A unit type as people say it ("OPD", "Puskesmas"), never the raw code from units.yaml."""
    names = {
        # TRANSLATORS: unit types of units.yaml; Indonesian abbreviations stay as they are.
        "opd": _.pgettext("unit type", "OPD (agencies)"),
        "puskesmas": _.pgettext("unit type", "Community health centres"),
        "rsud": _.pgettext("unit type", "Regional hospitals"),
        "kecamatan": _.pgettext("unit type", "Districts"),
        "bagian": _.pgettext("unit type", "Secretariat divisions"),
    }
    return names.get(code) or code.replace("-", " ").replace("_", " ").capitalize()
