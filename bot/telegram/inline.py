"""Inline mode (`@bot 问题` in any chat): passages to send, each titled by where it sits.

An empty query lists the outline; an off-topic query lists nothing (the bot never posts a
"not found" in the user's name); a button above the results opens the bot itself.
"""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import messages
from bot.core.answers import Answer, OutlinePart
from bot.core.text import point_prefix
from bot.formatting import answer_html, split_html
from bot.telegram.reading import deep_link
from bot.telegram.replies import engine_of

MAX_RESULTS = 5
TITLE_CHARS = 64
DESCRIPTION_CHARS = 120


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Up to five passages for the query; the outline for an empty one."""
    query = update.inline_query
    text = query.query.strip()
    engine = engine_of(context)
    outline = engine.outline()
    if text:
        answers = engine.candidates(text, MAX_RESULTS)
    else:
        answers = [a for part in outline if (a := engine.part_answer(part.number)) is not None]
    username = context.bot.username or ""
    results = []
    seen: set[str] = set()
    for n, answer in enumerate(answers):
        title = title_of(answer, outline)
        if title in seen:
            title = messages.INLINE_DUPLICATE_TITLE.format(title=title, n=n + 1)
        seen.add(title)
        link = deep_link(answer)
        markup = (
            InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            messages.INLINE_OPEN_IN_BOT, url=f"https://t.me/{username}?start={link}"
                        )
                    ]
                ]
            )
            if link and username
            else None
        )
        results.append(
            InlineQueryResultArticle(
                id=f"{engine.version}:{n}",
                title=title[:TITLE_CHARS],
                description=answer.answer[:DESCRIPTION_CHARS],
                input_message_content=InputTextMessageContent(
                    split_html(answer_html(answer))[0], parse_mode=ParseMode.HTML
                ),
                reply_markup=markup,
            )
        )
    await query.answer(
        results,
        cache_time=30,
        # with an allowlist, Telegram must not serve these results from its cache to others
        is_personal=bool(context.bot_data["settings"].allowed_chat_ids),
        button=InlineQueryResultsButton(text=messages.INLINE_OPEN_BOT, start_parameter="inline"),
    )


def title_of(answer: Answer, outline: list[OutlinePart]) -> str:
    """Where a result sits and what it is about: "第三部分 · 第一点：突出重点领域"."""
    part = next((p for p in outline if p.number == answer.part), None)
    if part is not None and answer.point and 1 <= answer.point <= len(part.points):
        topic = part.points[answer.point - 1]
        topic = point_prefix.sub("", topic)  # "一是突出重点领域" -> "突出重点领域"
    else:
        topic = answer.section or answer.answer[:20]
    return messages.INLINE_PART_TITLE.format(location=answer.location, heading=topic)
