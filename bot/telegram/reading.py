"""Reading the speech by its structure: /start (and its deep links), /outline → a part → a point
with ◀ 上一点 / 下一点 ▶, a part in full, more context in place, suggestions and examples.

Taps that change the view edit the tapped message; every view that shows a passage carries
👍/👎 recorded against it. A part or point shown here becomes the conversation's last answer,
so "下一点" typed after a tap continues from it.
"""

from __future__ import annotations

import html
import re

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import messages
from bot.core.answers import Answer
from bot.core.text import parse_number
from bot.formatting import answer_html, context_html, outline_line, split_html
from bot.telegram.replies import (
    conversation_of,
    edit_answer,
    edit_html,
    engine_of,
    keyboards_of,
    reply_html,
    send_answer,
)

DEEP_LINK = re.compile(r"(?:part(?P<part>\d{1,2})|p(?P<n>\d{1,2})_(?P<m>\d{1,2}))\Z")


def deep_link(answer: Answer) -> str:
    """The /start parameter that opens an answer's part or point: part3, p3_2."""
    if answer.part is None:
        return ""
    return (
        f"p{answer.part}_{answer.point}" if answer.kind == "point" and answer.point else f"part{answer.part}"
    )


# ---- commands ------------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, say what the bot knows, offer examples; `/start part3` or `p3_2` opens that place."""
    message = update.effective_message
    engine = engine_of(context)
    link = DEEP_LINK.match(context.args[0]) if context.args else None
    if link is not None:
        if link["part"]:
            answer = engine.part_answer(int(link["part"]))
        else:
            answer = engine.part_answer(int(link["n"]), int(link["m"]))
        if answer is not None:
            conversation_of(update, context).remember(answer)
            await send_answer(update, context, message, answer, f"/start {context.args[0]}")
            return
    outline = engine.outline()
    text = messages.START_HTML.format(
        title=html.escape(engine.documents[0].title),
        count=len(outline),
        outline=html.escape(outline_line(outline)),
    )
    await reply_html(message, text, keyboards_of(context).examples())


async def outline_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The parts as buttons."""
    outline = engine_of(context).outline()
    await reply_html(update.effective_message, messages.OUTLINE_HTML, keyboards_of(context).outline(outline))


async def section_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/section N: that part's heading and its points as buttons."""
    await _part_command(update, context, full=False)


async def read_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/read N: that part in full, split across messages when needed."""
    await _part_command(update, context, full=True)


async def _part_command(update: Update, context: ContextTypes.DEFAULT_TYPE, *, full: bool) -> None:
    message = update.effective_message
    engine = engine_of(context)
    count = len(engine.outline())
    number = parse_number(context.args[0]) if len(context.args or ()) == 1 else None
    if number is None:
        usage = messages.READ_USAGE if full else messages.SECTION_USAGE
        await message.reply_text(usage.format(count=count), do_quote=None)
        return
    answer = engine.part_full(number) if full else engine.part_answer(number)
    if answer is None:
        await message.reply_text(messages.SECTION_NOT_FOUND.format(number=number, count=count), do_quote=None)
        return
    conversation_of(update, context).remember(answer)
    await send_answer(update, context, message, answer, f"/{'read' if full else 'section'} {number}")


# ---- buttons ----------------------------------------------------------------------------------------


async def outline_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """返回提纲: the outline again, in place."""
    query = update.callback_query
    await query.answer()
    outline = engine_of(context).outline()
    await edit_html(query, messages.OUTLINE_HTML, keyboards_of(context).outline(outline))


async def part_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A part's heading and its points as buttons, in place."""
    await _show(update, context, engine_of(context).part_answer(int(context.match["n"])))


async def point_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One point with ◀ 上一点 / 下一点 ▶, in place."""
    engine = engine_of(context)
    await _show(update, context, engine.part_answer(int(context.match["n"]), int(context.match["m"])))


async def _show(update: Update, context: ContextTypes.DEFAULT_TYPE, answer: Answer | None) -> None:
    query = update.callback_query
    if answer is None:
        await query.answer(messages.STALE_BUTTON)
        return
    await query.answer()
    conversation_of(update, context).remember(answer)
    await edit_answer(update, context, query, answer, f"[按钮] {answer.location}")


async def read_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A part in full, as new messages (it may need several)."""
    await _send(update, context, engine_of(context).part_full(int(context.match["n"])), "[全文]")


async def passage_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A suggestion or a search hit: that passage, as a new message."""
    await _send(update, context, engine_of(context).passage_answer(context.match["key"]), "[建议]")


async def example_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An example question from /start, answered as if typed."""
    index = int(context.match["i"])
    if index >= len(messages.EXAMPLE_QUESTIONS):
        await update.callback_query.answer(messages.STALE_BUTTON)
        return
    question = messages.EXAMPLE_QUESTIONS[index]
    answer = engine_of(context).answer(question, conversation=conversation_of(update, context))
    await _send(update, context, answer, question, remembered=True)


async def _send(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    answer: Answer | None,
    route: str,
    *,
    remembered: bool = False,
) -> None:
    query = update.callback_query
    if answer is None:
        await query.answer(messages.STALE_BUTTON)
        return
    await query.answer()
    if not remembered:
        conversation_of(update, context).remember(answer)
    question = route if not route.startswith("[") else f"{route} {answer.location}"
    await send_answer(update, context, _asked(query.message), answer, question)


def _asked(message: Message) -> Message:
    """The message a tapped answer replies to in a group: the question under the bot's message."""
    return message.reply_to_message or message


async def context_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """更多上下文: the whole paragraph in place of the answer, the answered sentence underlined."""
    query = update.callback_query
    match = context.match
    view = engine_of(context).context(match["key"])
    if view is None:
        await query.answer(messages.STALE_BUTTON)
        return
    await query.answer()
    markup = keyboards_of(context).context(match["key"], match["back"], (int(match["q"]), match["sig"]))
    await edit_html(query, split_html(context_html(view))[0], markup)


async def uncontext_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """收起上下文: the answer again, with the same 👍/👎."""
    query = update.callback_query
    match = context.match
    engine = engine_of(context)
    if match["back"] == "-":
        answer = engine.passage_answer(match["key"])
    else:
        n, m = match["back"].split(".")
        answer = engine.part_answer(int(n), int(m))
    if answer is None:
        await query.answer(messages.STALE_BUTTON)
        return
    await query.answer()
    vote = (int(match["q"]), match["sig"])
    markup = keyboards_of(context).answer(answer, vote, engine.outline())
    await edit_html(query, split_html(answer_html(answer))[0], markup)
