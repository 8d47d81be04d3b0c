"""What every handler shares: the objects on `bot_data`, the per-user conversation, recording a
shown answer, and sending or editing an answer (threaded to its question in groups).
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.core.answers import Answer
from bot.core.conversation import Conversation
from bot.core.engine import Engine
from bot.formatting import answer_html, split_html
from bot.telegram.keyboards import Keyboards, sign

log = logging.getLogger(__name__)
NOT_QUESTIONS = frozenset({"empty", "smalltalk"})  # Answer kinds that are not recorded
REMEMBERED_ANSWERS = 100  # per chat: which bot message answered which question (for edits)


def engine_of(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    return context.bot_data["engine"]


def store_of(context: ContextTypes.DEFAULT_TYPE):
    return context.bot_data.get("store")


def keyboards_of(context: ContextTypes.DEFAULT_TYPE) -> Keyboards:
    return Keyboards(engine_of(context).version)


def conversation_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Conversation:
    """One conversation per chat, and per user inside a group: context never crosses them."""
    user = update.effective_user
    return context.chat_data.setdefault(("conv", user.id if user else 0), Conversation())


def user_tag(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> str:
    """A user id as it may appear in a log line: the store's salted hash, or a keyed hash."""
    if (store := store_of(context)) is not None:
        return store.hash_id(user_id)[:12]
    return sign(context.bot_data["secret"], 0, user_id)


def record(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, answer: Answer
) -> tuple[int, str] | None:
    """Store the question row an answer is shown for; the (row, signature) its 👍/👎 carry.

    None when the answer shows no passage: nothing to vote on. Small talk and empty messages are
    not questions and leave no row (they would crowd the curator's list of unanswered questions).
    A store that is missing or failing still gives buttons (row 0): the vote is thanked, not kept.
    """
    chat = update.effective_chat
    if chat is None or answer.kind in NOT_QUESTIONS:
        return None
    qid = 0
    if (store := store_of(context)) is not None:
        qid = (
            store.record_question(
                question=question,
                answer=answer,
                chat_type=chat.type,
                user_id=update.effective_user.id if update.effective_user else 0,
                chat_id=chat.id,
            )
            or 0
        )
    if not answer.matched:
        return None
    return qid, sign(context.bot_data["secret"], chat.id, qid)


def answer_markup(
    context: ContextTypes.DEFAULT_TYPE, answer: Answer, vote: tuple[int, str] | None
) -> InlineKeyboardMarkup | None:
    engine = engine_of(context)
    return keyboards_of(context).answer(answer, vote, engine.outline())


def threaded(message: Message) -> ReplyParameters | None:
    """In groups every reply quotes the message it answers, so the asker can find it."""
    if message.chat.type == ChatType.PRIVATE:
        return None
    return ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)


async def reply_html(
    message: Message, text: str, markup: InlineKeyboardMarkup | None = None, **kwargs
) -> list[Message]:
    """Send HTML in answer to `message`, split to Telegram's limit; the keyboard on the last piece."""
    pieces = split_html(text)
    sent = []
    for n, piece in enumerate(pieces):
        last = n == len(pieces) - 1
        sent.append(
            await message.get_bot().send_message(
                message.chat.id,
                piece,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if last else None,
                reply_parameters=threaded(message) if n == 0 else None,
                message_thread_id=message.message_thread_id if message.is_topic_message else None,
                **(kwargs if last else {}),
            )
        )
    return sent


async def send_answer(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    message: Message,
    answer: Answer,
    question: str,
) -> list[Message]:
    """Record, render and send one answer with its buttons; remember which message answered."""
    vote = record(update, context, question, answer)
    sent = await reply_html(message, answer_html(answer), answer_markup(context, answer, vote))
    if update.message is not None:
        remember_reply(context, update.message.message_id, sent[0].message_id)
    return sent


async def edit_answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, answer: Answer, question: str
) -> None:
    """Show another answer in the tapped message itself (navigation), with fresh 👍/👎."""
    vote = record(update, context, question, answer)
    await edit_html(query, split_html(answer_html(answer))[0], answer_markup(context, answer, vote))


async def edit_html(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the tapped message; a message Telegram no longer lets us edit gets a new one."""
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" in exc.message:  # a double tap
            return
        log.info("could not edit a message (%s); sending a new one", exc.message)
        if isinstance(query.message, Message):
            await reply_html(query.message, text, markup)


def remember_reply(context: ContextTypes.DEFAULT_TYPE, question_id: int, reply_id: int) -> None:
    """Note that bot message `reply_id` answers user message `question_id` (for edited questions)."""
    answers: OrderedDict[int, int] = context.chat_data.setdefault("answers", OrderedDict())
    answers[question_id] = reply_id
    while len(answers) > REMEMBERED_ANSWERS:
        answers.popitem(last=False)


def reply_of(context: ContextTypes.DEFAULT_TYPE, question_id: int) -> int | None:
    return context.chat_data.get("answers", {}).get(question_id)
