"""Command names and their menu descriptions, in one place."""

from __future__ import annotations

from bot.domain.units import Role


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext_noop name Babel extracts
    """Mark a string for extraction; it is translated later, per user."""
    return message


START = "start"
HELP = "bantuan"
HELP_EN = "help"
CANCEL = "batal"
SETTINGS = "pengaturan"
INDICATORS = "indikator"
EVIDENCE = "bukti"
USERS = "pengguna"  # admins only; not in the public menu
SELFCHECK = "cek"
SCORE = "skor"
QUIZ = "kuis"
DEADLINES = "tenggat"
NEW_DEADLINE = "tenggat_baru"
RECAP = "rekap"  # admins and coordinators
BROADCAST = "siaran"  # admins

# Shown by Telegram in the "/" menu; order matters there.
MENU: list[tuple[str, str]] = [
    (START, N_("Register or change your unit")),
    (HELP, N_("What this bot does and how to use it")),
    (INDICATORS, N_("Browse the assessment indicators by year")),
    (EVIDENCE, N_("Evidence files (bukti dukung) of your unit")),
    (SELFCHECK, N_("Self-check your unit against the assessment")),
    (SCORE, N_("Your unit's predicted score and trend")),
    (QUIZ, N_("Quick 5-question quiz for the interview")),
    (DEADLINES, N_("Evidence deadlines of your unit")),
    (NEW_DEADLINE, N_("New deadline (admins and coordinators)")),
    (SETTINGS, N_("Language, time zone and reminders")),
    (CANCEL, N_("Cancel what you are doing")),
]

# Listed by /bantuan for coordinators and admins only (and not in the public "/" menu).
STAFF_MENU: list[tuple[str, str]] = [
    (USERS, N_("Users and roles (admins)")),
    (RECAP, N_("Readiness recap of the units, with chart and Excel")),
    (BROADCAST, N_("Broadcast a message to users (admins)")),
]

# The least role each command needs (absent: everyone). /bantuan and the per-chat "/" menu
# list only what the person's role allows; refusals name the role (domain/roles.py).
NEEDS: dict[str, Role] = {
    NEW_DEADLINE: Role.COORDINATOR,
    RECAP: Role.COORDINATOR,
    USERS: Role.ADMIN,
    BROADCAST: Role.ADMIN,
}
_RANK = {Role.MEMBER: 0, Role.COORDINATOR: 1, Role.ADMIN: 2}


def menu_for(role: Role) -> list[tuple[str, str]]:
    """The commands (name, untranslated description) a person with `role` may use, in order."""
    return [
        (name, description)
        for name, description in MENU + STAFF_MENU
        if _RANK[NEEDS.get(name, Role.MEMBER)] <= _RANK[role]
    ]
