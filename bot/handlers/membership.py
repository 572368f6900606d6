"""Join requests: tell the deciders, take their "Terima"/"Tolak", tell the person (transport)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler

from bot.domain.errors import NotFound, StaleAction
from bot.domain.membership import JoinOutcome, Person
from bot.domain.units import Role
from bot.handlers import callback_data as cd
from bot.handlers import membership_render as view
from bot.handlers import menu
from bot.handlers.context import BotContext
from bot.handlers.members import expired

log = logging.getLogger(__name__)


async def _tell(context: BotContext, person: Person, text: str, **kw: Any) -> None:
    """Send to someone other than the user of the update; a blocked chat is not our failure."""
    try:
        await context.bot.send_message(person.chat_id, text, parse_mode="HTML", **kw)
    except TelegramError as error:
        # The person may have blocked the bot; the request stays in the database either way.
        log.warning("could not tell user %s about a membership event: %r", person.user_id, error)


async def announce(context: BotContext, outcome: JoinOutcome) -> None:
    """After a join: send the request to its deciders and tell the old unit who left."""
    member = context.member
    name = member.display_name if member is not None else "?"
    if outcome.request is not None:
        for person in outcome.deciders:
            _ = context.catalogs.for_locale(person.language)
            await _tell(
                context,
                person,
                view.request_for_decider(_, outcome.request),
                reply_markup=view.decide_keyboard(_, outcome.request.id),
            )
    if outcome.left_unit_name:
        for person in outcome.old_unit_told:
            _ = context.catalogs.for_locale(person.language)
            text = view.left_for_old_unit(_, name, outcome.left_unit_name, outcome.lost_role)
            await _tell(context, person, text)
    if outcome.lost_role and member is not None:
        await menu.publish(
            context.bot,
            context.catalogs,
            chat_id=member.telegram_id,
            role=Role.MEMBER,
            language=member.language,
        )


async def decide(update: Update, context: BotContext) -> None:
    """ "Terima"/"Tolak": decide the request (role checked by the service), tell the person."""
    query = update.callback_query
    payload = cd.pressed(update, view.JoinDecide)
    member = context.member
    if query is None or payload is None or member is None:
        return
    _ = context.translator
    try:
        decision = await context.services.membership.decide(
            member, payload.request_id, accept=payload.accept
        )
    except (NotFound, StaleAction):
        await expired(update, context, _.gettext("This request was already decided or withdrawn."))
        return
    await query.answer(_.gettext("Done."))
    await query.edit_message_text(view.decided_for_decider(_, decision), parse_mode="HTML")
    person = decision.person
    if person is not None:
        theirs = context.catalogs.for_locale(person.language)
        await _tell(context, person, view.decided_for_person(theirs, decision))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The decision buttons under join requests."""
    app.add_handler(CallbackQueryHandler(decide, pattern=cd.pattern_for(view.JoinDecide)))
