"""Telegram handlers: each translates an update into a core call and the result into messages.

No matching here; shared objects (engine, store, settings, flood guard) live in `bot_data`.
"""

from __future__ import annotations

import html
import logging
import math
import re

from telegram import (
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.ext import ApplicationHandlerStop, ContextTypes, filters

from bot import messages
from bot.core.engine import Answer, Engine
from bot.core.text import parse_number
from bot.formatting import answer_html, context_html, outline_line, split_html
from bot.telegram import keyboards

log = logging.getLogger(__name__)
SEARCH_PAGE_SIZE = 5
MAX_INLINE_RESULTS = 5


# ---- shared objects ----------------------------------------------------------------------------


def engine_of(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    return context.bot_data["engine"]


def _store(context: ContextTypes.DEFAULT_TYPE):
    return context.bot_data.get("store")


# ---- filters -----------------------------------------------------------------------------------


class AddressedToBot(filters.MessageFilter):
    """Private messages; in groups, messages that mention the bot or reply to it."""

    def filter(self, message: Message) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return True
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied and replied.from_user and replied.from_user.id == bot.id:
            return True
        return _mentions(message, bot.username or "", bot.id)


def _mentions(message: Message, username: str, bot_id: int) -> bool:
    for entity, text in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return True
        if entity.type == MessageEntity.MENTION and text.lower() == f"@{username.lower()}":
            return True
    return False


ADDRESSED = AddressedToBot()


# ---- gatekeeping (group -1) --------------------------------------------------------------------


async def gatekeeper(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ignore chats outside ALLOWED_CHAT_IDS; slow down users who flood the bot."""
    settings = context.bot_data["settings"]
    chat = update.effective_chat
    if settings.allowed_chat_ids and chat is not None and chat.id not in settings.allowed_chat_ids:
        if update.callback_query:
            await update.callback_query.answer(messages.NOT_ALLOWED)
        raise ApplicationHandlerStop
    user = update.effective_user
    message = update.message
    counted = update.callback_query is not None or update.inline_query is not None
    counted = counted or (message is not None and ADDRESSED.check_update(update))
    if user is None or not counted:
        return
    verdict = context.bot_data["guard"].check(user.id)
    if verdict == "allow":
        return
    if update.callback_query:
        await update.callback_query.answer(messages.SLOW_DOWN)
    elif verdict == "warn" and message is not None:
        await message.reply_text(messages.SLOW_DOWN)
    raise ApplicationHandlerStop


# ---- commands ----------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, say what the bot knows, offer example questions."""
    engine = engine_of(context)
    outline = engine.outline()
    text = messages.START_HTML.format(
        title=html.escape(engine.documents[0].title),
        count=len(outline),
        outline=html.escape(outline_line(outline)),
    )
    await update.effective_message.reply_html(text, reply_markup=keyboards.examples())


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """How to ask, and the commands."""
    await update.effective_message.reply_html(
        messages.HELP_HTML.format(username=html.escape(context.bot.username))
    )


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other command (admin commands included, for non-admins): the help line."""
    await update.effective_message.reply_html(messages.UNKNOWN_COMMAND_HTML)


async def outline_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The six parts as buttons."""
    await update.effective_message.reply_html(
        messages.OUTLINE_HTML, reply_markup=keyboards.outline(engine_of(context))
    )


async def section_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/section N: that part's heading and points."""
    engine = engine_of(context)
    count = len(engine.outline())
    number = parse_number(context.args[0]) if len(context.args or ()) == 1 else None
    if number is None:
        await update.effective_message.reply_text(messages.SECTION_USAGE.format(count=count))
        return
    answer = engine.part_answer(number)
    if answer is None:
        await update.effective_message.reply_text(
            messages.SECTION_NOT_FOUND.format(number=number, count=count)
        )
        return
    await send_answer(update.effective_message, answer, None)


async def search_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/search 关键词: every passage holding the word, five a page."""
    keyword = " ".join(context.args or ()).strip()[:40]
    if not keyword:
        await update.effective_message.reply_text(messages.SEARCH_USAGE)
        return
    text, markup = search_page(engine_of(context), keyword, 1)
    await update.effective_message.reply_html(text, reply_markup=markup)


def search_page(engine: Engine, keyword: str, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    found = engine.search(keyword)
    if not found:
        return html.escape(messages.SEARCH_NONE.format(keyword=keyword)), None
    pages = math.ceil(len(found) / SEARCH_PAGE_SIZE)
    page = min(max(page, 1), pages)
    lines = [
        messages.SEARCH_HEADER_HTML.format(
            keyword=html.escape(keyword), count=len(found), page=page, pages=pages
        )
    ]
    for n, passage in enumerate(
        found[(page - 1) * SEARCH_PAGE_SIZE : page * SEARCH_PAGE_SIZE], (page - 1) * SEARCH_PAGE_SIZE + 1
    ):
        marked = html.escape(passage.text).replace(html.escape(keyword), f"<b>{html.escape(keyword)}</b>")
        lines.append(f"{n}. {marked}")
    return "\n\n".join(lines), keyboards.search_pages(keyword, page, pages)


# ---- questions ---------------------------------------------------------------------------------


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A question in text: the passage that answers it, or an honest decline with suggestions."""
    message = update.effective_message
    text = _without_mention(message.text or "", context.bot.username or "")
    answer = engine_of(context).answer(text)
    question_id = None
    if (store := _store(context)) and answer.kind != "empty":  # emoji-only and the like are not questions
        question_id = store.record_question(
            question=text,
            answer=answer,
            chat_type=message.chat.type,
            user_id=update.effective_user.id if update.effective_user else 0,
            chat_id=message.chat.id,
        )
    await send_answer(message, answer, question_id)


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice: a one-line hint to ask in text."""
    await update.effective_message.reply_text(messages.ASK_IN_TEXT)


async def send_answer(message: Message, answer: Answer, question_id: int | None) -> None:
    pieces = split_html(answer_html(answer))
    markup = keyboards.answer_buttons(answer, question_id)
    for n, piece in enumerate(pieces):
        last = n == len(pieces) - 1
        await message.reply_html(piece, reply_markup=markup if last else None, do_quote=False)


def _without_mention(text: str, username: str) -> str:
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip() if username else text


# ---- buttons -----------------------------------------------------------------------------------


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every inline button; forged or stale data gets a polite answer."""
    query = update.callback_query
    callback = keyboards.parse(query.data)
    engine = engine_of(context)
    if callback is None:
        await query.answer(messages.STALE_BUTTON)
        return
    kind, args = callback.kind, callback.args
    if kind == "f":
        await _feedback(update, context, args[0] == "u", int(args[1]))
        return
    if kind == "s":
        text, markup = search_page(engine, args[1], int(args[0]))
        await query.answer()
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
        return
    if kind == "c":
        found = engine.context(args[0])
        if found is None:
            await query.answer(messages.STALE_BUTTON)
            return
        await query.answer()
        for piece in split_html(context_html(found)):
            await query.message.reply_html(piece, do_quote=False)
        return
    if kind == "q":
        index = int(args[0])
        if index >= len(messages.EXAMPLE_QUESTIONS):
            await query.answer(messages.STALE_BUTTON)
            return
        answer = engine.answer(messages.EXAMPLE_QUESTIONS[index])
    elif kind == "a":
        answer = engine.passage_answer(args[0])
    else:  # "p"
        answer = engine.part_answer(int(args[0]))
    if answer is None:
        await query.answer(messages.STALE_BUTTON)
        return
    await query.answer()
    await send_answer(query.message, answer, None)


async def _feedback(update: Update, context: ContextTypes.DEFAULT_TYPE, up: bool, question_id: int) -> None:
    query = update.callback_query
    chat = update.effective_chat  # None on an inline message: no answer there to vote on
    stored = False
    if (store := _store(context)) and question_id:
        stored = await store.vote(
            question_id=question_id, user_id=update.effective_user.id, chat_id=chat and chat.id, up=up
        )
    if not stored:
        await query.answer(messages.FEEDBACK_NOT_STORED)
        return
    await query.answer(messages.FEEDBACK_THANKS_UP if up else messages.FEEDBACK_THANKS_DOWN)


# ---- inline mode -------------------------------------------------------------------------------


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot 问题 in any chat: up to five passages to send."""
    query = update.inline_query
    text = query.query.strip()
    if not text:
        await query.answer([], cache_time=60)
        return
    answers = engine_of(context).candidates(text, MAX_INLINE_RESULTS)
    results = [
        InlineQueryResultArticle(
            id=str(n),
            title=(a.section or a.location or messages.DECLINED)[:64],
            description=a.answer[:120],
            input_message_content=InputTextMessageContent(
                split_html(answer_html(a))[0], parse_mode=ParseMode.HTML
            ),
        )
        for n, a in enumerate(answers)
    ]
    if not results:
        results = [
            InlineQueryResultArticle(
                id="none",
                title=messages.INLINE_NOTHING,
                input_message_content=InputTextMessageContent(
                    messages.INLINE_NOTHING_TEXT.format(question=text[:200])
                ),
            )
        ]
    await query.answer(results, cache_time=30)


# ---- errors ------------------------------------------------------------------------------------


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error; tell the user something went wrong."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update):
        try:
            if update.callback_query:
                await update.callback_query.answer(messages.ERROR)
            elif update.effective_message:
                await update.effective_message.reply_text(messages.ERROR)
        except Exception:  # the error may be that Telegram is unreachable
            log.warning("could not tell the user about the error", exc_info=True)
