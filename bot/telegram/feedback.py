"""👍/👎 under every shown answer, and after 👎 an optional "哪里不对？" that records a short reason.

A vote counts only on the message it was made for: the data is signed with the chat the answer
was shown in, so data copied onto another chat's message is refused. Buttons on messages sent
through inline mode (no chat) get a polite note.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import logging
import time

from telegram import ForceReply, ReplyParameters, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import messages
from bot.telegram.keyboards import sign, with_vote_shown
from bot.telegram.replies import store_of

log = logging.getLogger(__name__)
REASON_CHARS = 200  # a reason is a short note; longer text is cut
REASON_TTL = 30 * 60.0  # seconds a "哪里不对？" prompt waits for its reply


async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """f:u|d:Q:S — record the vote against the answer's question row and show it on the buttons."""
    query = update.callback_query
    match = context.match
    if query.message is None:
        await query.answer(messages.INLINE_MESSAGE_BUTTON)
        return
    chat_id, qid, up = query.message.chat.id, int(match["q"]), match["vote"] == "u"
    if not hmac.compare_digest(sign(context.bot_data["secret"], chat_id, qid), match["sig"]):
        log.info("refused a vote whose data was not made for this chat")
        await query.answer(messages.FEEDBACK_NOT_YOURS)
        return
    stored = False
    if qid and (store := store_of(context)) is not None:
        stored = await store.vote(question_id=qid, user_id=query.from_user.id, chat_id=chat_id, up=up)
    if not stored:  # never thanked for a vote that was not kept
        await query.answer(messages.FEEDBACK_NOT_STORED)
        return
    await query.answer(messages.FEEDBACK_THANKS_UP if up else messages.FEEDBACK_THANKS_DOWN)
    markup = with_vote_shown(query.message.reply_markup, match["vote"])
    if markup is not None:
        with contextlib.suppress(BadRequest):  # the same vote again: nothing to change
            await query.edit_message_reply_markup(markup)
    if not up and qid:
        await _ask_reason(update, context, qid)


async def _ask_reason(update: Update, context: ContextTypes.DEFAULT_TYPE, qid: int) -> None:
    query = update.callback_query
    message = query.message
    group = message.chat.type != ChatType.PRIVATE
    text = html.escape(messages.REASON_PROMPT)
    if group:  # a selective ForceReply reaches the users the message mentions: the voter
        text = f"{query.from_user.mention_html()} {text}"
    prompt = await context.bot.send_message(
        message.chat.id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=ForceReply(selective=group, input_field_placeholder=messages.REASON_PLACEHOLDER),
        reply_parameters=ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True),
    )
    context.chat_data[("reason", prompt.message_id)] = (qid, query.from_user.id, time.monotonic())


async def capture_reason(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A reply to a "哪里不对？" prompt by the user who voted: store it as the vote's reason."""
    message = update.effective_message
    replied = message.reply_to_message
    if replied is None or message.text is None or context.chat_data is None:
        return False
    pending = context.chat_data.get(("reason", replied.message_id))
    if pending is None:
        return False
    qid, user_id, asked = pending
    if update.effective_user is None or update.effective_user.id != user_id:
        return False
    del context.chat_data[("reason", replied.message_id)]
    if time.monotonic() - asked > REASON_TTL:
        return False
    if (store := store_of(context)) is not None:
        await asyncio.to_thread(  # the writer thread confirms it; never block the event loop
            store.record_vote_reason, question_id=qid, user_id=user_id, reason=message.text[:REASON_CHARS]
        )
    await message.reply_text(messages.REASON_THANKS, do_quote=message.chat.type != ChatType.PRIVATE)
    return True
