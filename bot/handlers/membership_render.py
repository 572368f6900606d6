"""Texts and buttons of membership: join requests, decisions, departures (transport, pure)."""

from __future__ import annotations

import dataclasses
from html import escape

from telegram import InlineKeyboardMarkup

from bot.domain.membership import Decision, JoinOutcome, JoinRequest
from bot.handlers import callback_data as cd
from bot.handlers.keyboards import button
from bot.i18n import Translator


@cd.callback("jr1.d")
@dataclasses.dataclass(frozen=True, slots=True)
class JoinDecide:
    """ "Terima" (accept=True) or "Tolak" under a join request sent to a decider."""

    request_id: int
    accept: bool


def decide_keyboard(_: Translator, request_id: int) -> InlineKeyboardMarkup:
    """Accept / refuse buttons under a join request."""
    return InlineKeyboardMarkup(
        [
            [
                button("✅ " + _.pgettext("join", "Accept"), JoinDecide(request_id, True)),
                button("❌ " + _.pgettext("join", "Refuse"), JoinDecide(request_id, False)),
            ]
        ]
    )


def request_for_decider(_: Translator, request: JoinRequest) -> str:
    """What a coordinator or admin reads when someone asks to join their unit."""
    lines = [
        _.gettext("<b>Join request</b>"),
        _.gettext("{name} asks to join <b>{unit}</b>.").format(
            name=escape(request.display_name), unit=escape(request.unit_name)
        ),
    ]
    if request.previous_unit_name:
        lines.append(
            _.gettext("Until now a member of {unit}.").format(
                unit=escape(request.previous_unit_name)
            )
        )
    lines.append(
        _.gettext("Until you accept, nothing they answer in /cek counts for the unit's score.")
    )
    return "\n".join(lines)


def outcome_for_person(_: Translator, outcome: JoinOutcome) -> str:
    """What the person reads after confirming a unit that needs consent."""
    lines = []
    if outcome.left_unit_name:
        lines.append(
            _.gettext("You have left {unit}.").format(unit=escape(outcome.left_unit_name))
        )
    if outcome.lost_role:
        lines.append(_.gettext("Your coordinator role there has ended."))
    lines.append(
        _.gettext(
            "Your request to join <b>{unit}</b> has gone to its coordinators and the admins. "
            "I will tell you when they decide."
        ).format(unit=escape(outcome.unit_name))
    )
    lines.append(
        _.gettext(
            "Meanwhile you can ask questions, take /kuis and run a personal /cek; your "
            "answers count for the unit only once you are accepted."
        )
    )
    return "\n\n".join(lines)


def left_for_old_unit(_: Translator, name: str, unit: str, lost_role: bool) -> str:
    """Told to the old unit's coordinators (and the admins if a coordinator left)."""
    if lost_role:
        return _.gettext(
            "{name}, coordinator of <b>{unit}</b>, has moved to another unit and is no longer "
            "its coordinator."
        ).format(name=escape(name), unit=escape(unit))
    return _.gettext("{name} has left <b>{unit}</b>.").format(name=escape(name), unit=escape(unit))


def decided_for_decider(_: Translator, decision: Decision) -> str:
    """The request message after a decision (the buttons go away)."""
    request = decision.request
    text = (
        _.gettext("✅ {name} was accepted into <b>{unit}</b> by {decider}.")
        if decision.accepted
        else _.gettext("❌ The request of {name} to join <b>{unit}</b> was refused by {decider}.")
    )
    return text.format(
        name=escape(request.display_name),
        unit=escape(request.unit_name),
        decider=escape(decision.decided_by),
    )


def decided_for_person(_: Translator, decision: Decision) -> str:
    """What the person who asked reads."""
    unit = escape(decision.request.unit_name)
    if not decision.accepted:
        return _.gettext(
            "Your request to join <b>{unit}</b> was refused. Type /start to pick another unit."
        ).format(unit=unit)
    text = _.gettext("Your request was accepted: you are now a member of <b>{unit}</b>.").format(
        unit=unit
    )
    if decision.counted_answers:
        text += "\n" + _.ngettext(
            "{count} of your self-check answers now counts for the unit.",
            "{count} of your self-check answers now count for the unit.",
            decision.counted_answers,
        ).format(count=decision.counted_answers)
    return text


def pending_status(_: Translator, request: JoinRequest) -> str:
    """/start while a request waits."""
    return _.gettext(
        "Your request to join <b>{unit}</b> is waiting for a coordinator or an admin.\n\n"
        "Meanwhile you can ask questions, take /kuis and run a personal /cek. "
        "Want to pick another unit?"
    ).format(unit=escape(request.unit_name))


def coordinator_warning(_: Translator, unit: str) -> str:
    """Shown in the confirmation when a coordinator picks another unit."""
    return _.gettext(
        "⚠️ You are the coordinator of <b>{unit}</b>. Moving to another unit ends that role "
        "and you leave {unit} at once."
    ).format(unit=escape(unit))
