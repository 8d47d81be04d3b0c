"""/search 关键词 [关键词 …]: every sentence holding all the words, five a page, each with its
place and a numbered button that opens it; paging edits the message in place."""

from __future__ import annotations

import math

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import messages
from bot.core.engine import Engine
from bot.formatting import search_lines, to_html
from bot.telegram.keyboards import Keyboards
from bot.telegram.replies import edit_html, engine_of, keyboards_of, reply_html

PAGE_SIZE = 5
MAX_KEYWORDS_CHARS = 40


async def search_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/search 关键词: the first page of hits."""
    words = " ".join(context.args or ()).strip()[:MAX_KEYWORDS_CHARS]
    if not words:
        await update.effective_message.reply_text(messages.SEARCH_USAGE, do_quote=None)
        return
    text, markup = search_page(engine_of(context), keyboards_of(context), words, 1)
    await reply_html(update.effective_message, text, markup)


async def page_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """« 上一页 / 下一页 »: another page, in place."""
    query = update.callback_query
    await query.answer()
    text, markup = search_page(
        engine_of(context), keyboards_of(context), context.match["words"], int(context.match["page"])
    )
    await edit_html(query, text, markup)


def search_page(
    engine: Engine, keyboards: Keyboards, words: str, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    found = engine.search(words)
    if not found:
        template = messages.SEARCH_NONE_ALL if len(words.split()) > 1 else messages.SEARCH_NONE
        return to_html([[(template.format(keyword=words), "")]]), None
    pages = math.ceil(len(found) / PAGE_SIZE)
    page = min(max(page, 1), pages)
    first = (page - 1) * PAGE_SIZE
    shown = found[first : first + PAGE_SIZE]
    lines = search_lines(shown, words, total=len(found), page=page, pages=pages, first=first + 1)
    return to_html(lines), keyboards.search(words, page, pages, [hit.key for hit in shown], first + 1)
