"""Under /skor, for a unit's coordinators: what changed since they looked, who disagrees, and
"Tetapkan" buttons to settle a disagreement (transport)."""

from __future__ import annotations

import dataclasses
from html import escape
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.domain.errors import InvalidAnswer, NotFound, NotRegistered
from bot.domain.membership import UnitReview
from bot.domain.methodology import Methodology
from bot.handlers import callback_data as cd
from bot.handlers.context import BotContext
from bot.handlers.keyboards import button
from bot.handlers.members import expired, registered
from bot.i18n import Translator

SHOWN_DISAGREEMENTS = 5


@cd.callback("sk1.s")
@dataclasses.dataclass(frozen=True, slots=True)
class Settle:
    """ "Tetapkan": the coordinator picks `value` for the indicator at `position` (1-based)."""

    edition: str
    position: int
    value: int


def _label(methodology: Methodology, indicator_id: str, value: int | None) -> str:
    indicator = methodology.indicator(indicator_id)
    if value is None or indicator is None:
        return "–"
    return next((o.label for o in indicator.options if o.value == value), str(value))


def render_review(
    _: Translator, review: UnitReview, methodology: Methodology, zone: str
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The review message and its settle buttons (None when there is nothing to say)."""
    if not review.changes and not review.disagreements:
        return None
    lines: list[str] = []
    names = {i.id: i.name for i in methodology.indicators}
    positions = {i.id: n for n, i in enumerate(methodology.indicators, start=1)}
    if review.changes:
        lines.append(_.gettext("<b>Changed since you last looked</b>"))
        for change in review.changes:
            lines.append(
                _.gettext("• {indicator}: {old} → {new} ({author}, {when})").format(
                    indicator=escape(names.get(change.indicator_id, change.indicator_id)),
                    old=escape(_label(methodology, change.indicator_id, change.old)),
                    new=escape(_label(methodology, change.indicator_id, change.new)),
                    author=escape(change.author),
                    when=_.datetime(change.at, zone, pattern="d MMM HH:mm"),
                )
            )
    rows = []
    shown = review.disagreements[:SHOWN_DISAGREEMENTS]
    if shown:
        if lines:
            lines.append("")
        lines.append(_.gettext("<b>Members disagree</b> (the latest answer counts for now):"))
    for number, item in enumerate(shown, start=1):
        lines.append(f"{number}. " + escape(names.get(item.indicator_id, item.indicator_id)) + ":")
        for value, authors in item.by_value:
            lines.append(
                "   "
                + _.gettext("{answer}: {names}").format(
                    answer=escape(_label(methodology, item.indicator_id, value)),
                    names=escape(", ".join(authors)),
                )
            )
            rows.append(
                [
                    button(
                        _.gettext("Settle {number}: {answer}").format(
                            number=number,
                            answer=_label(methodology, item.indicator_id, value)[:40],
                        ),
                        Settle(review.edition, positions[item.indicator_id], value),
                    )
                ]
            )
    return "\n".join(lines), (InlineKeyboardMarkup(rows) if rows else None)


async def show(update: Update, context: BotContext, edition: str) -> None:
    """Send the review under /skor if the member coordinates the unit and there is news."""
    member, message = context.member, update.effective_message
    if member is None or message is None:
        return
    review = await context.services.reviews.review(member, edition=edition)
    methodology = context.services.content.methodologies.get(edition)
    if review is None or methodology is None:
        return
    rendered = render_review(context.translator, review, methodology, member.timezone)
    if rendered is not None:
        await message.reply_html(rendered[0], reply_markup=rendered[1])


@registered
async def settle(update: Update, context: BotContext) -> None:
    """A "Tetapkan" button: the coordinator's value becomes the unit's (role checked)."""
    query, payload, member = update.callback_query, cd.pressed(update, Settle), context.member
    if query is None or payload is None or member is None:
        return
    methodology = context.services.content.methodologies.get(payload.edition)
    indicators = methodology.indicators if methodology else ()
    if not 1 <= payload.position <= len(indicators):
        await expired(update, context)
        return
    indicator = indicators[payload.position - 1]
    try:
        await context.services.reviews.settle(
            member, edition=payload.edition, indicator_id=indicator.id, value=payload.value
        )
    except (NotFound, InvalidAnswer, NotRegistered):
        await expired(update, context)
        return
    _ = context.translator
    await query.answer(_.gettext("Settled."))
    assert methodology is not None  # indicators were found above
    await query.edit_message_text(
        _.gettext(
            "Settled: {indicator} is now “{answer}” for the unit. /skor shows the score."
        ).format(
            indicator=escape(indicator.name),
            answer=escape(_label(methodology, indicator.id, payload.value)),
        ),
        parse_mode="HTML",
    )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The settle buttons."""
    app.add_handler(CallbackQueryHandler(settle, pattern=cd.pattern_for(Settle)))
