"""Pure rendering for /pengguna and /bukti: domain data + translator in, HTML and keyboards out."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from html import escape
from itertools import groupby

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.evidence import ALLOWED_TYPES, MAX_BYTES, Evidence
from bot.domain.methodology import Dimension, Indicator, Methodology
from bot.domain.units import Role, Unit
from bot.domain.users import UserSummary
from bot.handlers import callback_data as cd
from bot.handlers.keyboards import button, short
from bot.handlers.render import role_name
from bot.i18n import Translator

# --- payloads (tags pg1. and bk1.) --------------------------------------------------------------
# Defined here, next to the keyboards that use them; handlers import them from this module.


@cd.callback("pg1.p")
@dataclasses.dataclass(frozen=True, slots=True)
class UsersPage:
    """Page `page` of the user list."""

    page: int


@cd.callback("pg1.u")
@dataclasses.dataclass(frozen=True, slots=True)
class UserShow:
    """One user's details; `page` is where "back" returns to."""

    user_id: int
    page: int


@cd.callback("pg1.r")
@dataclasses.dataclass(frozen=True, slots=True)
class UserRole:
    """Set a user's role: c = coordinator of their unit, a = admin, m = member."""

    user_id: int
    role: str
    page: int


@cd.callback("pg1.a")
@dataclasses.dataclass(frozen=True, slots=True)
class UserActive:
    """Deactivate (False) or reactivate (True) a user."""

    user_id: int
    active: bool
    page: int


def cd_user(user_id: int, page: int) -> UserShow:
    """The payload of a user's button in the list."""
    return UserShow(user_id, page)


@cd.callback("bk1.l")
@dataclasses.dataclass(frozen=True, slots=True)
class EvidenceList:
    """Page `page` of a unit's evidence list."""

    unit_id: int
    page: int


@cd.callback("bk1.f")
@dataclasses.dataclass(frozen=True, slots=True)
class EvidenceFetch:
    """Send an evidence file back into the chat (staff)."""

    evidence_id: int


@cd.callback("bk1.a")
@dataclasses.dataclass(frozen=True, slots=True)
class EvidenceAdd:
    """Start adding evidence: pick a dimension."""


@cd.callback("bk1.d")
@dataclasses.dataclass(frozen=True, slots=True)
class EvidenceDimension:
    """A dimension (index in the current edition) was picked."""

    index: int


@cd.callback("bk1.i")
@dataclasses.dataclass(frozen=True, slots=True)
class EvidenceIndicator:
    """An indicator was picked: wait for the file."""

    indicator_id: str


@cd.callback("bk1.m")
@dataclasses.dataclass(frozen=True, slots=True)
class EvidenceManage:
    """ "✏️ n" in /bukti: one file with delete and replace."""

    evidence_id: int


@cd.callback("bk1.x")
@dataclasses.dataclass(frozen=True, slots=True)
class EvidenceDelete:
    """Delete the file (row and stored copy)."""

    evidence_id: int


@cd.callback("bk1.r")
@dataclasses.dataclass(frozen=True, slots=True)
class EvidenceReplace:
    """The next file sent takes this one's place."""

    evidence_id: int


@cd.callback("bk1.u")
@dataclasses.dataclass(frozen=True, slots=True)
class EvidenceUnits:
    """Admins: page `page` of the unit picker."""

    page: int


USERS_PER_PAGE = 15
EVIDENCE_PER_PAGE = 15
FETCH_PER_ROW = 5


def _pages(count: int, size: int) -> int:
    return max(1, (count + size - 1) // size)


def _clamp(page: int, pages: int) -> int:
    return min(max(page, 0), pages - 1)


def _day(_: Translator, moment: datetime | None, zone: str) -> str:
    if moment is None:
        return "—"
    return _.datetime(moment, zone, "d MMM y")


def _nav(
    _: Translator, page: int, pages: int, make: type, *head: int
) -> list[InlineKeyboardButton]:
    nav = []
    if page > 0:
        nav.append(button("‹ " + _.pgettext("pager", "Previous"), make(*head, page - 1)))
    if page < pages - 1:
        nav.append(button(_.pgettext("pager", "Next") + " ›", make(*head, page + 1)))
    return nav


# --- users -----------------------------------------------------------------------------------


def _user_name(_: Translator, user: UserSummary) -> str:
    if user.forgotten:
        return _.gettext("(data erased)")
    return user.display_name or str(user.telegram_id)


def user_page(
    _: Translator, users: Sequence[UserSummary], page: int, zone: str
) -> tuple[str, InlineKeyboardMarkup, int]:
    """The user list grouped by unit, one page at a time, with a button per user."""
    pages = _pages(len(users), USERS_PER_PAGE)
    page = _clamp(page, pages)
    shown = list(users[page * USERS_PER_PAGE : (page + 1) * USERS_PER_PAGE])
    lines = [
        _.ngettext(
            "<b>Users</b>: {count} person", "<b>Users</b>: {count} people", len(users)
        ).format(count=len(users))
    ]
    if pages > 1:
        lines.append(_.gettext("Page {page} of {pages}.").format(page=page + 1, pages=pages))
    for unit_name, group in groupby(shown, key=lambda u: u.unit_name):
        lines.append("")
        lines.append(
            "<b>{}</b>".format(
                escape(unit_name) if unit_name else _.gettext("Not registered to a unit")
            )
        )
        for user in group:
            state = (
                _.gettext("last active {date}").format(date=_day(_, user.last_seen_at, zone))
                if user.active
                else _.pgettext("user", "inactive")
            )
            role = role_name(_, user.role.value)
            lines.append(f"• {escape(_user_name(_, user))} — {role} — {state}")
    lines.append("")
    lines.append(_.gettext("Pick a person to change their role or deactivate them."))
    rows = [
        [
            button(
                short(f"{_user_name(_, u)} · {role_name(_, u.role.value)}", 60),
                cd_user(u.user_id, page),
            )
        ]
        for u in shown
    ]
    nav = _nav(_, page, pages, UsersPage)
    if nav:
        rows.append(nav)
    return "\n".join(lines), InlineKeyboardMarkup(rows), page


def user_detail(
    _: Translator, user: UserSummary, zone: str, page: int, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """One user's details with the actions an admin may take."""
    lines = []
    if note:
        lines += [note, ""]
    lines += [
        f"<b>{escape(_user_name(_, user))}</b>",
        _.gettext("Telegram ID: {id}").format(id=user.telegram_id),
        _.gettext("Unit: {unit}").format(unit=escape(user.unit_name or "—")),
        _.gettext("Role: {role}").format(role=role_name(_, user.role.value)),
        _.gettext("Last active: {date}").format(date=_day(_, user.last_seen_at, zone)),
        _.gettext("Status: {status}").format(
            status=(
                _.pgettext("user", "active") if user.active else _.pgettext("user", "inactive")
            )
        ),
    ]
    if user.settings_admin:
        lines += [
            "",
            _.gettext(
                "This admin is set in the server settings (BOT_ADMIN_IDS): "
                "they cannot be demoted or deactivated here."
            ),
        ]
    rows = []
    if not user.settings_admin and not user.forgotten:
        if user.role is not Role.COORDINATOR and user.unit_id is not None:
            rows.append(
                [
                    button(
                        _.gettext("Make coordinator of their unit"),
                        UserRole(user.user_id, "c", page),
                    )
                ]
            )
        if user.role is not Role.ADMIN:
            rows.append([button(_.gettext("Make admin"), UserRole(user.user_id, "a", page))])
        if user.role is not Role.MEMBER:
            rows.append([button(_.gettext("Demote to member"), UserRole(user.user_id, "m", page))])
        if user.active:
            rows.append([button(_.gettext("Deactivate"), UserActive(user.user_id, False, page))])
        else:
            rows.append([button(_.gettext("Reactivate"), UserActive(user.user_id, True, page))])
    rows.append([button("‹ " + _.gettext("Back to the list"), UsersPage(page))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


# --- evidence ----------------------------------------------------------------------------------


def file_size(_: Translator, size: int) -> str:
    if size >= 1024 * 1024:
        return _.gettext("{n} MB").format(n=_.number(size / (1024 * 1024), 1))
    return _.gettext("{n} KB").format(n=_.number(max(1, round(size / 1024)), 0))


def file_label(_: Translator, item: Evidence) -> str:
    if item.display_name:
        return item.display_name
    return _.gettext("photo") if item.kind == "photo" else _.gettext("document")


def evidence_page(
    _: Translator,
    unit: Unit,
    methodology: Methodology,
    items: Sequence[Evidence],
    page: int,
    zone: str,
    *,
    can_fetch: bool,
    can_add: bool,
    other_units: bool,
) -> tuple[str, InlineKeyboardMarkup]:
    """A unit's evidence by indicator (numbered), fetch buttons for staff, add for members."""
    order = {ind.id: i for i, ind in enumerate(methodology.indicators)}
    names = {ind.id: ind.name for ind in methodology.indicators}
    # Files with an indicator in methodology order; files of a deadline without an indicator
    # after them, grouped under "Tenggat: <title>".
    ordered = sorted(
        items,
        key=lambda e: (
            order.get(e.indicator_id or "", len(order)),
            e.indicator_id or "",
            e.deadline_title or "",
            e.id,
        ),
    )
    pages = _pages(len(ordered), EVIDENCE_PER_PAGE)
    page = _clamp(page, pages)
    start = page * EVIDENCE_PER_PAGE
    shown = ordered[start : start + EVIDENCE_PER_PAGE]
    covered = len({e.indicator_id for e in ordered if e.indicator_id in names})
    lines = [
        _.gettext("<b>Evidence of {unit}</b> (edition {edition})").format(
            unit=escape(unit.name), edition=escape(methodology.id)
        ),
        _.gettext("{covered} of {total} indicators have evidence.").format(
            covered=covered, total=len(names)
        ),
    ]
    if not ordered:
        lines += ["", _.gettext("No evidence yet. Press “Add evidence” to send the first file.")]
    if pages > 1:
        lines.append(_.gettext("Page {page} of {pages}.").format(page=page + 1, pages=pages))
    number = start
    for (indicator_id, deadline_title), group in groupby(
        shown, key=lambda e: (e.indicator_id, None if e.indicator_id else e.deadline_title)
    ):
        if indicator_id is None and deadline_title is not None:
            title = _.gettext("Deadline: {title}").format(title=deadline_title)
        else:
            title = names.get(indicator_id or "", indicator_id or "—")
        lines += ["", f"<b>{escape(title)}</b>"]
        for item in group:
            number += 1
            label, size = escape(file_label(_, item)), file_size(_, item.size)
            line = f"{number}. {label} — {size} — {_day(_, item.created_at, zone)}"
            if item.uploader_name:
                line += " — " + _.gettext("by {name}").format(name=escape(item.uploader_name))
            if indicator_id is not None and item.deadline_title:
                line += f" — 📅 {escape(item.deadline_title)}"
            if item.caption:
                line += f"\n   “{escape(item.caption)}”"
            lines.append(line)
    rows: list[list[InlineKeyboardButton]] = []
    if can_fetch and shown:
        fetch = [
            button(f"📥 {start + i + 1}", EvidenceFetch(item.id)) for i, item in enumerate(shown)
        ]
        rows += [fetch[i : i + FETCH_PER_ROW] for i in range(0, len(fetch), FETCH_PER_ROW)]
        # The same roles delete and replace (the service checks "evidence.delete" again).
        manage = [
            button(f"✏️ {start + i + 1}", EvidenceManage(item.id)) for i, item in enumerate(shown)
        ]
        rows += [manage[i : i + FETCH_PER_ROW] for i in range(0, len(manage), FETCH_PER_ROW)]
    nav = _nav(_, page, pages, EvidenceList, unit.id)
    if nav:
        rows.append(nav)
    if can_add:
        rows.append([button("➕ " + _.gettext("Add evidence"), EvidenceAdd())])
    if other_units:
        rows.append([button("🏢 " + _.gettext("Other units"), EvidenceUnits(0))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def unit_picker(
    _: Translator, units: Sequence[Unit], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """Admins: whose evidence to see."""
    size = 8
    pages = _pages(len(units), size)
    page = _clamp(page, pages)
    rows: list[list[InlineKeyboardButton]] = [
        [button(u.name, EvidenceList(u.id, 0))] for u in units[page * size : (page + 1) * size]
    ]
    nav = _nav(_, page, pages, EvidenceUnits)
    if nav:
        rows.append(nav)
    text = _.gettext("Whose evidence do you want to see? Pick a unit.")
    if pages > 1:
        text += "\n" + _.gettext("Page {page} of {pages}.").format(page=page + 1, pages=pages)
    return text, InlineKeyboardMarkup(rows)


def dimension_picker(
    _: Translator, dimensions: Sequence[Dimension]
) -> tuple[str, InlineKeyboardMarkup]:
    """Step 1 of adding evidence: which dimension."""
    rows = [[button(d.name, EvidenceDimension(i))] for i, d in enumerate(dimensions)]
    return (_.gettext("Which dimension is the evidence for?"), InlineKeyboardMarkup(rows))


def indicator_picker(_: Translator, dimension: Dimension) -> tuple[str, InlineKeyboardMarkup]:
    """Step 2: which indicator of the dimension."""
    rows = [
        [button(short(ind.name, 60), EvidenceIndicator(ind.id))] for ind in dimension.indicators
    ]
    rows.append([button("‹ " + _.gettext("Other dimension"), EvidenceAdd())])
    return (
        _.gettext("<b>{dimension}</b>: which indicator?").format(dimension=escape(dimension.name)),
        InlineKeyboardMarkup(rows),
    )


def ask_for_file(_: Translator, indicator: Indicator) -> str:
    """Step 3: send the file."""
    text = _.gettext(
        "Send the evidence for <b>{indicator}</b> now, as a photo or a document "
        "(PDF, Word, Excel, PowerPoint, ODT/ODS, JPG, PNG or WEBP; at most {mb} MB)."
    ).format(indicator=escape(indicator.name), mb=MAX_BYTES // (1024 * 1024))
    if indicator.evidence:
        text += "\n\n" + _.gettext("Expected evidence: {evidence}").format(
            evidence=escape(indicator.evidence)
        )
    return text + "\n\n" + _.gettext("Type /batal to stop.")


def stored(
    _: Translator, item: Evidence, indicator: Indicator
) -> tuple[str, InlineKeyboardMarkup]:
    """The file is saved."""
    text = _.gettext("Saved: {name} ({size}) as evidence for <b>{indicator}</b>.").format(
        name=escape(file_label(_, item)),
        size=file_size(_, item.size),
        indicator=escape(indicator.name),
    )
    markup = InlineKeyboardMarkup(
        [
            [
                button(
                    "➕ " + _.gettext("Another file for this indicator"),
                    EvidenceIndicator(indicator.id),
                )
            ],
            [button("📋 " + _.gettext("See the unit's evidence"), EvidenceList(item.unit_id, 0))],
        ]
    )
    return text, markup


def fetched_caption(_: Translator, item: Evidence) -> str:
    """Caption of a file sent back into the chat."""
    return _.gettext("Evidence #{id}: {name}").format(id=item.id, name=escape(file_label(_, item)))


def download_name(item: Evidence) -> str:
    """The name a fetched document gets: the sanitised original, else one we make up."""
    return item.display_name or f"bukti-{item.id}.{ALLOWED_TYPES.get(item.mime_type, 'bin')}"


def refused_file(_: Translator, reason: str) -> str:
    """Why a file was not accepted."""
    if reason == "too_large":
        return _.gettext(
            "This file is too large. The limit is {mb} MB: compress it or split it, "
            "then send it again."
        ).format(mb=MAX_BYTES // (1024 * 1024))
    return _.gettext(
        "This file type is not accepted. Send a photo, a PDF, or an office document "
        "(Word, Excel, PowerPoint, ODT or ODS)."
    )
